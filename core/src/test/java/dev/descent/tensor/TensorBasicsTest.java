package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Creation, shapes, views, broadcasting and the autograd contract (accumulation, no-grad, detach). */
class TensorBasicsTest {
    @Test
    void creationFillsValues() {
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, Tensor.zeros(2, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, Tensor.full(2.5f, 3).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toFloatArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5).toFloatArray());
        assertEquals(0, Tensor.scalar(3f).dim());
        assertEquals(3.0, Tensor.scalar(3f).item());
    }

    @Test
    void randomTensorsDependOnlyOnTheGenerator() {
        float[] a = Tensor.randn(Generator.seeded(5), 100).toFloatArray();
        float[] b = Tensor.randn(Generator.seeded(5), 100).toFloatArray();
        float[] c = Tensor.randn(Generator.seeded(6), 100).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        float[] u = Tensor.uniform(Generator.seeded(1), -2, 3, 10_000).toFloatArray();
        double mean = 0;
        for (float v : u) {
            assertTrue(v >= -2 && v < 3, "uniform value out of range: " + v);
            mean += v / u.length;
        }
        // mean of U(-2,3) is 0.5 with standard error sqrt(25/12/10000) = 0.0144; 5 sigma bound
        assertEquals(0.5, mean, 0.072);
    }

    @Test
    void generatorStateRestoresTheSequence() {
        Generator g = Generator.seeded(42);
        g.nextLong();
        long saved = g.state();
        double first = g.nextGaussian();
        g.setState(saved);
        assertEquals(first, g.nextGaussian());
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 3);
        var e = assertThrows(ShapeException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        var m = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3)));
        assertTrue(m.getMessage().contains("matmul") && m.getMessage().contains("[2, 3]"), m.getMessage());
        var r = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertTrue(r.getMessage().contains("reshape") && r.getMessage().contains("[4, 2]"), r.getMessage());
        assertThrows(ShapeException.class, () -> Tensor.of(new float[5], 2, 3));
    }

    @Test
    void broadcastingFollowsNumpy() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor row = Tensor.of(new float[] {10, 20}, 2);
        Tensor s = col.add(row);
        assertArrayEquals(new int[] {3, 2}, s.shape());
        assertArrayEquals(new float[] {11, 21, 12, 22, 13, 23}, s.toFloatArray());
        assertArrayEquals(new int[] {2, 3, 4}, Shapes.broadcast("t", new int[] {3, 1}, new int[] {2, 1, 4}));
    }

    @Test
    void viewsShareStorageAndTransposeReadsStrided() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
        Tensor slice = x.narrow(1, 1, 2);
        assertArrayEquals(new float[] {2, 3, 5, 6}, slice.toFloatArray());
        x.data()[1] = 20;
        assertEquals(20.0, slice.get(0, 0));
        assertArrayEquals(new float[] {1, 20, 3, 1, 20, 3}, Tensor.of(new float[] {1, 20, 3}, 1, 3).expand(2, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 4, 20, 5, 3, 6}, t.contiguous().toFloatArray());
    }

    @Test
    void gradientsAccumulateUntilCleared() {
        Tensor w = Tensor.vector(1, 2, 3).requireGrad();
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, w.grad().toFloatArray());
        w.mul(3.0).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9}, w.grad().toFloatArray());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void noGradRecordsNothingAndDetachCutsTheGraph() {
        Tensor w = Tensor.vector(1, 2).requireGrad();
        try (var scope = GradMode.noGrad()) {
            assertFalse(w.mul(w).requiresGrad());
        }
        assertTrue(w.mul(w).requiresGrad());
        Tensor d = w.mul(2.0).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        // detach shares values: 2*w
        assertArrayEquals(new float[] {2, 4}, d.toFloatArray());
        var e = assertThrows(IllegalStateException.class, () -> Tensor.vector(1).sum().backward());
        assertTrue(e.getMessage().contains("does not require gradients"), e.getMessage());
    }

    @Test
    void leafGradientsNeverShareStorage() {
        // add sends the same gradient to both inputs, reshape a view of it: each leaf must still
        // get its own array, or clipping one gradient in place would change the other.
        Tensor a = Tensor.vector(1, 2, 3, 4).requireGrad(), b = Tensor.vector(5, 6, 7, 8).requireGrad();
        Tensor c = Tensor.of(new float[] {1, 1, 1, 1}, 2, 2).requireGrad();
        Tensor out = a.add(b).reshape(2, 2).add(c);
        Tensor upstream = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        out.backward(upstream);
        assertFalse(a.grad().data() == b.grad().data());
        assertFalse(c.grad().data() == upstream.data(), "the caller's output gradient is not adopted");
        a.grad().data()[0] = 100;
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.grad().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.grad().toFloatArray());
        upstream.data()[1] = -7;
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.grad().toFloatArray());
    }

    @Test
    void sharedSubgraphGetsTheSumOfItsGradients() {
        Tensor x = Tensor.vector(3).requireGrad();
        Tensor y = x.mul(x);          // y = x^2
        Tensor z = y.add(y.mul(y));   // z = y + y^2, dz/dx = (1 + 2y) * 2x = 19 * 6
        z.sum().backward();
        assertEquals(114.0, x.grad().item());
    }

    @Test
    void catAndStackJoin() {
        Tensor a = Tensor.of(new float[] {1, 2}, 1, 2), b = Tensor.of(new float[] {3, 4, 5, 6}, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensor.cat(List.of(a, b), 0).toFloatArray());
        Tensor s = Tensor.stack(List.of(Tensor.vector(1, 2), Tensor.vector(3, 4)), 1);
        assertArrayEquals(new int[] {2, 2}, s.shape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, s.toFloatArray());
    }

    @Test
    void reductionsOnKnownValues() {
        Tensor x = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new float[] {9, 12}, x.sum(1, false).toFloatArray());
        assertArrayEquals(new float[] {5, 7, 9}, x.sum(0, false).toFloatArray());
        assertArrayEquals(new float[] {5, 6}, x.max(1, false).toFloatArray());
        assertArrayEquals(new float[] {1, 2}, x.argmax(1, false).toFloatArray());
        assertEquals(3.5, x.mean().item(), 1e-7);
        // unbiased variance of 1,5,3: mean 3, squares 4+4+0 = 8, / 2 = 4
        assertEquals(4.0, x.var(new int[] {1}, 1, false).toFloatArray()[0], 1e-6);
        Tensor big = Tensor.of(new float[] {1000, 1000}, 1, 2);
        assertEquals(1000 + Math.log(2), big.logsumexp(1, false).item(), 1e-3);
        float[] sm = Tensor.of(new float[] {-1e4f, 0, 1e4f}, 3).softmax(0).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 1}, sm);
    }

    @Test
    void dataRefusesViews() {
        Tensor x = Tensor.zeros(2, 3);
        assertSame(x.data(), x.data());
        assertThrows(IllegalStateException.class, () -> x.t().data());
    }
}
