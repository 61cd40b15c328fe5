package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Factories of the built-in losses, with PyTorch's option names and defaults. Each returns a
 * record whose Javadoc gives the formula; the no-argument forms reduce by {@link Reduction#MEAN}
 * as PyTorch does, and take their defaults from {@link LossRegistry}, the table the command line
 * reads too ({@link #klDiv()} aside: PyTorch's reduction, where the table holds batchmean).
 *
 * <pre>{@code
 * Loss loss = Losses.crossEntropy(null, Losses.DEFAULT_IGNORE_INDEX, 0.1);   // label smoothing 0.1
 * Loss regularized = Losses.withPenalty(loss, Penalty.l2(1e-4, params, Penalties.notBias()));
 * Tensor value = regularized.apply(logits, labels);
 * value.backward();
 * }</pre>
 */
public final class Losses {
    /** PyTorch's default {@code ignore_index}: no real class index is negative, so nothing is ignored. */
    public static final int DEFAULT_IGNORE_INDEX = (Integer) fallback("cross_entropy", "ignore_index");

    private Losses() {}

    /** The default of a loss's option in {@link LossRegistry}. */
    private static Object fallback(String loss, String option) {
        return LossRegistry.REGISTRY.require(loss).option(option).fallback();
    }

    /** Mean squared error; see {@link MseLoss}. */
    public static MseLoss mse() {
        return new MseLoss(Reduction.MEAN);
    }

    /** Squared error with the given reduction; see {@link MseLoss}. */
    public static MseLoss mse(Reduction reduction) {
        return new MseLoss(reduction);
    }

    /** Mean absolute error; see {@link L1Loss}. */
    public static L1Loss l1() {
        return new L1Loss(Reduction.MEAN);
    }

    /** Absolute error with the given reduction; see {@link L1Loss}. */
    public static L1Loss l1(Reduction reduction) {
        return new L1Loss(reduction);
    }

    /** Smooth L1 with beta = 1; see {@link SmoothL1Loss}. */
    public static SmoothL1Loss smoothL1() {
        return new SmoothL1Loss((Double) fallback("smooth_l1", "beta"), Reduction.MEAN);
    }

    /** Smooth L1 (Girshick 2015); see {@link SmoothL1Loss}. */
    public static SmoothL1Loss smoothL1(double beta) {
        return new SmoothL1Loss(beta, Reduction.MEAN);
    }

    /** Smooth L1 with the given beta and reduction; see {@link SmoothL1Loss}. */
    public static SmoothL1Loss smoothL1(double beta, Reduction reduction) {
        return new SmoothL1Loss(beta, reduction);
    }

    /** Huber loss with delta = 1; see {@link HuberLoss}. */
    public static HuberLoss huber() {
        return new HuberLoss((Double) fallback("huber", "delta"), Reduction.MEAN);
    }

    /** Huber loss (Huber 1964); see {@link HuberLoss}. */
    public static HuberLoss huber(double delta) {
        return new HuberLoss(delta, Reduction.MEAN);
    }

    /** Huber loss with the given delta and reduction; see {@link HuberLoss}. */
    public static HuberLoss huber(double delta, Reduction reduction) {
        return new HuberLoss(delta, reduction);
    }

    /** Binary cross-entropy on probabilities; see {@link BceLoss}. */
    public static BceLoss bce() {
        return new BceLoss(null, Reduction.MEAN);
    }

    /** Binary cross-entropy on probabilities with a rescaling weight (or null); see {@link BceLoss}. */
    public static BceLoss bce(Tensor weight) {
        return new BceLoss(weight, Reduction.MEAN);
    }

    /** Binary cross-entropy on probabilities with a weight (or null) and a reduction; see {@link BceLoss}. */
    public static BceLoss bce(Tensor weight, Reduction reduction) {
        return new BceLoss(weight, reduction);
    }

    /** Binary cross-entropy on logits; see {@link BceWithLogitsLoss}. */
    public static BceWithLogitsLoss bceWithLogits() {
        return new BceWithLogitsLoss(null, null, Reduction.MEAN);
    }

    /** Binary cross-entropy on logits with a positive-class weight (or null); see {@link BceWithLogitsLoss}. */
    public static BceWithLogitsLoss bceWithLogits(Tensor posWeight) {
        return new BceWithLogitsLoss(posWeight, null, Reduction.MEAN);
    }

    /** Binary cross-entropy on logits with positive-class weight and rescaling weight (either may be null). */
    public static BceWithLogitsLoss bceWithLogits(Tensor posWeight, Tensor weight) {
        return new BceWithLogitsLoss(posWeight, weight, Reduction.MEAN);
    }

    /** Binary cross-entropy on logits with every option (weights may be null); see {@link BceWithLogitsLoss}. */
    public static BceWithLogitsLoss bceWithLogits(Tensor posWeight, Tensor weight, Reduction reduction) {
        return new BceWithLogitsLoss(posWeight, weight, reduction);
    }

    /** Cross-entropy of logits; see {@link CrossEntropyLoss}. */
    public static CrossEntropyLoss crossEntropy() {
        return crossEntropy(null);
    }

    /** Cross-entropy with class weights (or null); see {@link CrossEntropyLoss}. */
    public static CrossEntropyLoss crossEntropy(Tensor weight) {
        return new CrossEntropyLoss(weight, DEFAULT_IGNORE_INDEX, (Double) fallback("cross_entropy", "label_smoothing"), Reduction.MEAN);
    }

    /** Cross-entropy with class weights (or null), an ignored index and label smoothing; see {@link CrossEntropyLoss}. */
    public static CrossEntropyLoss crossEntropy(Tensor weight, int ignoreIndex, double labelSmoothing) {
        return new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, Reduction.MEAN);
    }

    /** Cross-entropy with every option (weight may be null); see {@link CrossEntropyLoss}. */
    public static CrossEntropyLoss crossEntropy(Tensor weight, int ignoreIndex, double labelSmoothing, Reduction reduction) {
        return new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, reduction);
    }

    /** Negative log-likelihood of log-probabilities; see {@link NllLoss}. */
    public static NllLoss nll() {
        return new NllLoss(null, (Integer) fallback("nll", "ignore_index"), Reduction.MEAN);
    }

    /** Negative log-likelihood with class weights (or null) and an ignored index; see {@link NllLoss}. */
    public static NllLoss nll(Tensor weight, int ignoreIndex) {
        return new NllLoss(weight, ignoreIndex, Reduction.MEAN);
    }

    /** Negative log-likelihood with every option (weight may be null); see {@link NllLoss}. */
    public static NllLoss nll(Tensor weight, int ignoreIndex, Reduction reduction) {
        return new NllLoss(weight, ignoreIndex, reduction);
    }

    /**
     * KL divergence with probability targets and PyTorch's default reduction MEAN (per element);
     * prefer {@code klDiv(false, Reduction.BATCH_MEAN)} for the mathematical KL per sample. See
     * {@link KlDivLoss}.
     */
    public static KlDivLoss klDiv() {
        return new KlDivLoss(false, Reduction.MEAN);
    }

    /** KL divergence; see {@link KlDivLoss}. */
    public static KlDivLoss klDiv(boolean logTarget, Reduction reduction) {
        return new KlDivLoss(logTarget, reduction);
    }

    /** Multi-class hinge loss with p = 1, margin 1, no weights; see {@link MultiMarginLoss}. */
    public static MultiMarginLoss multiMargin() {
        return new MultiMarginLoss((Integer) fallback("multi_margin", "p"), (Double) fallback("multi_margin", "margin"), null, Reduction.MEAN);
    }

    /** Multi-class hinge loss; see {@link MultiMarginLoss}. */
    public static MultiMarginLoss multiMargin(int p, double margin, Tensor weight) {
        return new MultiMarginLoss(p, margin, weight, Reduction.MEAN);
    }

    /** Multi-class hinge loss with every option (weight may be null); see {@link MultiMarginLoss}. */
    public static MultiMarginLoss multiMargin(int p, double margin, Tensor weight, Reduction reduction) {
        return new MultiMarginLoss(p, margin, weight, reduction);
    }

    /**
     * {@code loss} plus {@code penalty}, the penalty evaluated at every call; see
     * {@link PenalizedLoss} and, for how an L2 penalty differs from weight decay, {@link Penalties}.
     */
    public static PenalizedLoss withPenalty(Loss loss, Penalty penalty) {
        return new PenalizedLoss(loss, penalty);
    }
}
