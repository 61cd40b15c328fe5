package dev.descent.tensor;

import dev.descent.tensor.kernel.BinaryOp;
import dev.descent.tensor.kernel.Kernels;

/**
 * {@code y = x W^T + b} for a float32 batch {@code x [N, in]}, weight {@code W [out, in]} and bias
 * {@code b [out]} (or none), as one recorded operation: PyTorch's {@code F.linear}.
 * <pre>
 *   forward:  y = x W^T (one matrix multiply, W read transposed in place), then y[i] += b
 *   backward: dx = g W,   dW = g^T x (already in W's layout),   db = sum over rows of g
 * </pre>
 * The same kernels in the same order as {@code x.matmul(W.t()).add(b)} and that pair's
 * backward, so the bits are the same; what goes is the broadcasting add, its reduction of the
 * gradient back to the bias shape, and two graph nodes per layer (less work per step, and less
 * code for the JIT to compile before a training loop runs at full speed).
 */
final class FusedLinear {
    private FusedLinear() {}

    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        int out = w.shape[0];
        Tensor y = MatMul.mm(x, false, w, true);
        if (b != null) {
            Tensor bc = b.isContiguous() ? b : b.contiguousCopy();
            Kernels.binaryRows(BinaryOp.ADD, y.f, 0, bc.f, bc.offset, y.f, 0, y.shape[0], out);
        }
        return Ops.record(y, "linear", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            return new Tensor[] {
                    x.requiresGrad() ? MatMul.mm(gc, false, w, false) : null,
                    w.requiresGrad() ? MatMul.mm(gc, true, x, false) : null,
                    b != null && b.requiresGrad() ? Reductions.sumRaw(gc, new int[] {0}, false) : null};
        }, x, w, b);
    }

    /** Whether the fused path applies: float32, 2-D input, and shapes that chain. */
    static boolean applies(Tensor x, Tensor w, Tensor b) {
        return x.dtype == DType.F32 && w.dtype == DType.F32 && (b == null || (b.dtype == DType.F32 && b.shape.length == 1 && b.shape[0] == w.shape[0]))
                && x.shape.length == 2 && w.shape.length == 2 && x.shape[1] == w.shape[1];
    }
}
