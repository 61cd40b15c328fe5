package dev.descent.tensor;

import dev.descent.tensor.kernel.MaxPool2x2;
import dev.descent.tensor.kernel.Parallel;

/**
 * {@code maxPool2d(relu(x))} as one operation, for the ReLU + max-pool pair that ends most CNN
 * blocks. The value and the gradient are bit for bit those of the two operations in sequence;
 * what goes is the ReLU's output and the ReLU gradient's pass: for a 32-channel 26 x 26 feature
 * map on a batch of 128 that is an 11 MB array written and read in the forward pass, and another
 * in the backward pass, every step.
 *
 * <pre>
 *   out[i][j] = max over the 2 x 2 window of relu(x)
 *   dx[argmax] = x[argmax] &lt;= 0 ? 0 : g[i][j]      (zero elsewhere)
 * </pre>
 * The fused loops cover the float32 2 x 2, stride 2, unpadded case ({@link MaxPool2x2}); any other
 * geometry or float64 runs the two operations.
 */
final class ReluMaxPool {
    private static final int GRAIN_ELEMENTS = 1 << 14;

    private ReluMaxPool() {}

    static Tensor reluMaxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        ConvGeometry s = ConvGeometry.pool2d("reluMaxPool2d", x, kernel, stride, padding);
        boolean fused = x.dtype == DType.F32 && s.isHalving2x2();
        if (!fused) return Pooling.maxPool2d(Ops.relu(x), kernel, stride, padding);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor out = Tensor.allocateOverwritten(DType.F32, s.outShape()); // every window writes its maximum
        int hw = s.h() * s.w(), p = s.p(), grain = Math.max(1, GRAIN_ELEMENTS / Math.max(1, hw));
        Parallel.forRange(s.n() * s.c(), grain, (from, to) ->
                MaxPool2x2.reluForward(xc.f, xc.offset + from * hw, s.h(), s.w(), to - from, out.f, from * p));
        return Ops.record(out, "reluMaxPool2d", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gx = Tensor.allocateOverwritten(DType.F32, x.shape); // the fused backward writes every element
            Parallel.forRange(s.n() * s.c(), grain, (from, to) -> MaxPool2x2.reluBackward(xc.f, xc.offset + from * hw, s.h(), s.w(),
                    to - from, out.f, from * p, gc.f, gc.offset + from * p, gx.f, from * hw));
            return new Tensor[] {gx};
        }, x);
    }
}
