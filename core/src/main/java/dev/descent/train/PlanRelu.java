package dev.descent.train;

import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.UnaryOp;

/** {@link dev.descent.nn.ReLU} in a {@link StepPlan}: the eager relu kernel and its backward ({@code x <= 0 ? 0 : g}). */
final class PlanRelu implements PlanLayer {
    private final int width;

    PlanRelu(int width) {
        this.width = width;
    }

    @Override
    public int inWidth() {
        return width;
    }

    @Override
    public int outWidth() {
        return width;
    }

    @Override
    public void forward(float[] in, float[] out, int rows) {
        Kernels.unary(UnaryOp.RELU, in, 0, out, 0, rows * width);
    }

    @Override
    public void backward(float[] in, float[] g, float[] gin, int rows) {
        if (gin != null) Kernels.reluBackward(in, 0, g, 0, gin, 0, rows * width);
    }

    @Override
    public void attachGradients() {}
}
