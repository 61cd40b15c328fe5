package dev.descent.optim;

/**
 * A gradient holds NaN or an infinity; the message names the parameter, the element and the
 * value, so the user can find the layer that diverged.
 */
public final class NonFiniteGradientException extends ArithmeticException {
    private final String parameter;
    private final int index;
    private final float value;

    public NonFiniteGradientException(String parameter, int index, float value) {
        super("non-finite gradient: parameter '" + parameter + "' has " + value + " at flat index " + index
                + " (lower the learning rate, clip gradients, or check the loss for log(0) and division by zero)");
        this.parameter = parameter;
        this.index = index;
        this.value = value;
    }

    /** Name of the parameter, such as {@code "0.weight"}. */
    public String parameter() {
        return parameter;
    }

    /** Flat row-major index of the first non-finite element. */
    public int index() {
        return index;
    }

    /** The offending value (NaN or an infinity). */
    public float value() {
        return value;
    }
}
