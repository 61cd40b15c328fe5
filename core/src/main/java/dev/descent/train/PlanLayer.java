package dev.descent.train;

/**
 * One layer of a {@link StepPlan}: its forward pass and its backward pass on row-major float
 * buffers of {@code rows} rows, with the same kernels, in the same order, as the layer's eager
 * operation and that operation's backward, so a compiled step has the eager step's bits.
 */
sealed interface PlanLayer permits PlanLinear, PlanRelu {
    /** Values per row this layer reads. */
    int inWidth();

    /** Values per row this layer writes. */
    int outWidth();

    /** out = layer(in) for {@code rows} rows. */
    void forward(float[] in, float[] out, int rows);

    /**
     * From g, the loss's gradient with respect to this layer's output: writes the gradients of
     * the layer's parameters (into the tensors that {@link #attachGradients} installs) and, when
     * {@code gin} is not null, the gradient with respect to the input.
     */
    void backward(float[] in, float[] g, float[] gin, int rows);

    /** Installs this layer's gradient tensors as its parameters' {@code grad()}: what the optimizer reads. */
    void attachGradients();
}
