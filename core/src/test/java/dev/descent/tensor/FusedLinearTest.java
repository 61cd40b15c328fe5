package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Tensor.linear gives the bits of matmul(w.t()).add(b), forward and backward, fused or not. */
class FusedLinearTest {
    @Test
    void fusedLinearHasTheBitsOfMatmulPlusBias() {
        Generator gen = Generator.seeded(31);
        for (int[] s : new int[][] {{128, 784, 256}, {32, 2, 1}, {5, 3, 7}, {1, 9, 4}}) {
            int n = s[0], in = s[1], out = s[2];
            Tensor x0 = Tensor.randn(gen, n, in), w0 = Tensor.randn(gen, out, in), b0 = Tensor.randn(gen, out);
            Tensor g = Tensor.randn(gen, n, out);
            for (boolean withBias : new boolean[] {true, false}) {
                Tensor x1 = x0.detach().requireGrad(), w1 = w0.detach().requireGrad(), b1 = b0.detach().requireGrad();
                Tensor x2 = x0.detach().requireGrad(), w2 = w0.detach().requireGrad(), b2 = b0.detach().requireGrad();
                Tensor fused = x1.linear(w1, withBias ? b1 : null);
                Tensor pair = withBias ? x2.matmul(w2.t()).add(b2) : x2.matmul(w2.t());
                assertArrayEquals(pair.toFloatArray(), fused.toFloatArray(), "forward " + n + "x" + in + "x" + out);
                fused.backward(g);
                pair.backward(g);
                assertArrayEquals(x2.grad().toFloatArray(), x1.grad().toFloatArray(), "dx");
                assertArrayEquals(w2.grad().toFloatArray(), w1.grad().toFloatArray(), "dw");
                if (withBias) assertArrayEquals(b2.grad().toFloatArray(), b1.grad().toFloatArray(), "db");
            }
        }
    }

    @Test
    void otherShapesRunTheComposedPath() {
        Generator gen = Generator.seeded(32);
        Tensor x = Tensor.randn(gen, 2, 3, 4), w = Tensor.randn(gen, 5, 4), b = Tensor.randn(gen, 5);
        assertArrayEquals(x.matmul(w.t()).add(b).toFloatArray(), x.linear(w, b).toFloatArray());
    }
}
