/**
 * Hyperparameter search: search spaces, samplers, pruners and studies, in the ask/tell style of
 * Optuna.
 *
 * <p>A {@link dev.descent.search.SearchSpace} is an ordered list of typed
 * {@link dev.descent.search.Dimension dimensions}, some {@link dev.descent.search.Condition
 * conditional} on a categorical parent. A {@link dev.descent.search.Sampler} draws the
 * {@link dev.descent.search.Params} of the next trial from the space and the history of
 * {@link dev.descent.search.FrozenTrial finished trials}: {@link dev.descent.search.GridSampler},
 * {@link dev.descent.search.RandomSampler} and {@link dev.descent.search.TpeSampler} (Bergstra et
 * al. 2011). A {@link dev.descent.search.Pruner} stops unpromising trials from their intermediate
 * values: {@link dev.descent.search.MedianPruner} (median stopping rule) and
 * {@link dev.descent.search.SuccessiveHalvingPruner} (ASHA, Li et al. 2020). A
 * {@link dev.descent.search.Study} ties them together over a {@link dev.descent.search.StudyStorage}.
 * {@link dev.descent.search.ParamImportances} tells afterwards which parameters mattered, by
 * fANOVA over a random forest fitted to the completed trials (Hutter et al. 2014), as Optuna's
 * {@code get_param_importances} does by default.
 *
 * <p>No hidden randomness: every trial draws from its own {@link java.util.SplittableRandom}
 * seeded from the study seed and the trial number, and with {@code P} trials at once trial
 * {@code n} learns from exactly trials {@code 0 .. n - P}, whatever finished first, so a study is
 * reproducible from its seed and {@code P}, sequential or parallel (see {@link dev.descent.search.Study}).
 *
 * <p>This is a leaf package: it depends on {@code java.base} only. What a trial trains is the
 * objective's business, so the search knows nothing of tensors, models or the trainer.
 */
package dev.descent.search;
