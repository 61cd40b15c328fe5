package dev.descent.optim;

/**
 * Factories for {@link GroupSpec}s: parameter groups selected by name pattern or by kind, to be
 * given their own learning rate (or schedule) and weight decay through
 * {@link GroupSpec#withLr} and {@link GroupSpec#withWeightDecay}, then passed to
 * {@link OptimizerSpec#withGroups}.
 */
public final class ParamGroups {
    private ParamGroups() {}

    /** Parameters whose whole name matches the glob (see {@link ParamSelector#glob}). */
    public static GroupSpec glob(String glob) {
        return new GroupSpec(glob, ParamSelector.glob(glob), null, null);
    }

    /** Parameters whose whole name matches the regular expression. */
    public static GroupSpec regex(String regex) {
        return new GroupSpec(regex, ParamSelector.regex(regex), null, null);
    }

    /** Parameters chosen by any selector. */
    public static GroupSpec where(String label, ParamSelector selector) {
        return new GroupSpec(label, selector, null, null);
    }

    /**
     * The usual heuristic for decoupled weight decay: no decay on biases and normalization
     * parameters. Selects every parameter of rank {@code <= 1} (biases, LayerNorm/BatchNorm
     * weight and bias) and every parameter whose name ends in {@code "bias"}, with weight decay 0.
     * Embedding tables and other matrices keep the default decay. Label: {@code "no_decay"}.
     */
    public static GroupSpec noDecayOnBiasAndNorm() {
        return new GroupSpec("no_decay", ParamSelector.vectors().or(ParamSelector.glob("*bias")), null, 0.0);
    }
}
