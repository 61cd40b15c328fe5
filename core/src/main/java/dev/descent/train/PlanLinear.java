package dev.descent.train;

import dev.descent.nn.Linear;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.kernel.Gemm;
import dev.descent.tensor.kernel.Kernels;

/**
 * {@link Linear} in a {@link StepPlan}: {@code y = x W^T + b}; backward {@code dx = g W},
 * {@code dW = g^T x}, {@code db = sum over rows of g}. The same {@link Gemm#sgemm} calls and the
 * same row sum as the eager fused linear operation, so the same bits.
 */
final class PlanLinear implements PlanLayer {
    private final Tensor weight, bias;
    private final Tensor weightGrad, biasGrad;
    // the tensors' storage arrays (a tensor's array never changes), looked up once
    private final float[] w, b, gw, gb;
    private final int in, out;

    PlanLinear(Linear layer) {
        this.weight = layer.weight();
        this.bias = layer.bias();
        this.in = layer.inFeatures();
        this.out = layer.outFeatures();
        this.weightGrad = Tensor.zeros(weight.shape());
        this.biasGrad = bias == null ? null : Tensor.zeros(bias.shape());
        this.w = weight.data();
        this.b = bias == null ? null : bias.data();
        this.gw = weightGrad.data();
        this.gb = bias == null ? null : biasGrad.data();
    }

    /** Whether this plan layer runs that module (whose parameters it reads and whose gradients it writes). */
    boolean isFor(Linear layer) {
        return layer.weight() == weight;
    }

    @Override
    public int inWidth() {
        return in;
    }

    @Override
    public int outWidth() {
        return out;
    }

    @Override
    public void forward(float[] x, float[] y, int rows) {
        Gemm.sgemm(false, true, rows, out, in, x, 0, in, w, 0, in, y, 0, out, false);
        if (b == null) return;
        // y[r][j] + b[j]: the eager bias add's arithmetic (one rounding per element), written
        // here rather than calling Kernels.binaryRows as the eager linear does: through that
        // dispatch a logistic regression's 10,000 steps measured 30% slower (2.17 vs 1.65 us/step,
        // 12 interleaved runs; more calls and classes before the JIT gets to them). One output
        // gets one loop: nested, its one-pass inner loops doubled the back branches per call,
        // and the JIT compiled the loop on stack (an extra C2 compile) before the method.
        if (out == 1) {
            float b0 = b[0];
            for (int r = 0; r < rows; r++) y[r] = y[r] + b0;
            return;
        }
        for (int r = 0, base = 0; r < rows; r++, base += out) {
            for (int j = 0; j < out; j++) y[base + j] = y[base + j] + b[j];
        }
    }

    @Override
    public void backward(float[] x, float[] g, float[] gx, int rows) {
        if (gx != null) Gemm.sgemm(false, false, rows, in, out, g, 0, out, w, 0, in, gx, 0, in, false);
        Gemm.sgemm(true, false, out, in, rows, g, 0, out, x, 0, in, gw, 0, in, false);
        if (b != null) Kernels.sumRows(g, 0, rows, out, gb, 0);
    }

    @Override
    public void attachGradients() {
        // set once, then only if something (optimizer.zeroGrad, an eager call) replaced it
        if (weight.grad() != weightGrad) weight.setGrad(weightGrad);
        if (bias != null && bias.grad() != biasGrad) bias.setGrad(biasGrad);
    }
}
