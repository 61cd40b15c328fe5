package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The float32 paths (vector kernels, fast broadcast paths, GEMM) agree with the float64 paths
 * (the generic scalar loops the gradient checks exercise) to float32 rounding: the relative
 * difference of each element is bounded by a few units of float32's epsilon (6e-8) times the
 * number of rounded operations, so 1e-5 relative plus 1e-6 absolute catches any real error.
 */
class PrecisionAgreementTest {
    private static void agree(String name, UnaryOperator<Tensor> f, Tensor x32) {
        float[] a = f.apply(x32).toFloatArray();
        double[] b = f.apply(x32.toF64()).toDoubleArray();
        assertEquals(b.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-6 + 1e-5 * Math.abs(b[i]), name + " element " + i);
        }
    }

    @Test
    void elementwiseAndReductions() {
        Generator g = Generator.seeded(3);
        Tensor x = Tensor.uniform(g, 0.1, 3, 37, 65);
        Tensor row = Tensor.uniform(g, 0.1, 3, 65);
        agree("exp", Tensor::exp, x);
        agree("log", Tensor::log, x);
        agree("tanh", Tensor::tanh, x);
        agree("sigmoid", Tensor::sigmoid, x.sub(1.5));
        agree("sqrt", Tensor::sqrt, x);
        agree("bias add", t -> t.add(t.dtype() == DType.F32 ? row : row.toF64()), x);
        agree("row div", t -> t.div(t.dtype() == DType.F32 ? row : row.toF64()), x);
        agree("sum rows", t -> t.sum(0, false), x);
        agree("sum cols", t -> t.sum(1, false), x);
        agree("softmax", t -> t.softmax(1), x);
        agree("log_softmax", t -> t.logSoftmax(0), x);
    }

    @Test
    void transposedViewsMultiplyToTheSameBitsAsTheirCopies() {
        Generator g = Generator.seeded(5);
        Tensor w = Tensor.randn(g, 17, 40), x = Tensor.randn(g, 9, 40), y = Tensor.randn(g, 17, 9);
        // x w^T as a linear layer computes it, and the two transposed operands of its backward pass
        org.junit.jupiter.api.Assertions.assertArrayEquals(x.matmul(w.t().contiguous()).toFloatArray(), x.matmul(w.t()).toFloatArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(w.t().contiguous().matmul(y).toFloatArray(), w.t().matmul(y).toFloatArray());
        Tensor z = Tensor.randn(g, 40, 17);
        org.junit.jupiter.api.Assertions.assertArrayEquals(y.t().contiguous().matmul(z.t().contiguous()).toFloatArray(), y.t().matmul(z.t()).toFloatArray());
    }

    @Test
    void matmul() {
        Generator g = Generator.seeded(4);
        Tensor a = Tensor.randn(g, 33, 70), b = Tensor.randn(g, 70, 19);
        // k = 70 products per element: error grows like sqrt(k) * eps * |terms|; 1e-5 relative + 1e-6 is ample
        float[] c = a.matmul(b).toFloatArray();
        double[] d = a.toF64().matmul(b.toF64()).toDoubleArray();
        for (int i = 0; i < c.length; i++) assertEquals(d[i], c[i], 1e-5 * 10 + 1e-5 * Math.abs(d[i]), "element " + i);
    }
}
