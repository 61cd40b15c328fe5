/**
 * {@code descent tune}: a hyperparameter search over a run configuration. The {@code search:}
 * section is read into core {@code dev.descent.search} objects ({@link dev.descent.cli.tune.SearchSpec},
 * {@link dev.descent.cli.tune.SpaceReader}); each trial is an ordinary run through
 * {@link dev.descent.cli.run.TrainingRun}; the study lives in SQLite ({@code dev.descent.study}).
 */
package dev.descent.cli.tune;
