package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values, finite-difference gradients and error messages of gather, indexSelect, scatterAdd and oneHot. */
class IndexingGradientTest {
    private final Generator gen = Generator.seeded(53);

    private Tensor x(int... shape) {
        return GradCheck.randn(gen, shape);
    }

    private static Tensor idx(double[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    @Test
    void gatherValuesMatchTorchDefinition() {
        // torch.gather(t, 1, [[0, 0], [1, 0]]) for t = [[1, 2], [3, 4]] is [[1, 1], [4, 3]]
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor out = t.gather(1, Tensor.of(new float[] {0, 0, 1, 0}, 2, 2));
        assertArrayEquals(new float[] {1, 1, 4, 3}, out.toFloatArray());
        // dim 0 with an index smaller than the input in the other dimension: out[0][j] = t[index[0][j]][j]
        Tensor out0 = t.gather(0, Tensor.of(new float[] {1}, 1, 1));
        assertArrayEquals(new float[] {3}, out0.toFloatArray());
    }

    @Test
    void gatherGradientScatterAddsRepeats() {
        Tensor index = idx(new double[] {2, 0, 2, 1, 1, 1, 0, 3, 3}, 3, 3);
        GradCheck.check("gather dim 1", in -> in[0].gather(1, index), x(3, 4));
        Tensor index0 = idx(new double[] {1, 0, 1, 1, 0, 0}, 2, 3);
        GradCheck.check("gather dim 0", in -> in[0].gather(0, index0), x(2, 4));
        Tensor index3 = idx(new double[] {0, 2, 1, 1, 0, 0, 2, 2}, 2, 2, 2);
        GradCheck.check("gather dim -1 of a transposed view", in -> in[0].transpose(0, 1).gather(-1, index3), x(3, 2, 3));
    }

    @Test
    void gatherGradientCountsRepeatedPicks() {
        Tensor t = Tensor.of(new double[] {1, 2, 3}, 1, 3).requireGrad();
        t.gather(1, idx(new double[] {2, 2, 0, 2}, 1, 4)).sum().backward();
        assertArrayEquals(new double[] {1, 0, 3}, t.grad().toDoubleArray());
    }

    @Test
    void indexSelectValuesAndGradient() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertArrayEquals(new float[] {5, 6, 1, 2, 5, 6}, t.indexSelect(0, new int[] {2, 0, 2}).toFloatArray());
        assertArrayEquals(new float[] {2, 2, 1, 4, 4, 3, 6, 6, 5}, t.indexSelect(1, new int[] {1, 1, 0}).toFloatArray());
        GradCheck.check("indexSelect dim 0 repeated", in -> in[0].indexSelect(0, new int[] {3, 1, 3, 3, 0}), x(4, 3));
        GradCheck.check("indexSelect dim 1", in -> in[0].indexSelect(1, new int[] {2, 2, 0}), x(2, 3, 2));
        GradCheck.check("indexSelect last dim", in -> in[0].indexSelect(-1, new int[] {1}), x(2, 2));
    }

    @Test
    void indexSelectGradientAccumulatesRepeatedRows() {
        // The Embedding case: row 1 looked up three times receives three times the gradient.
        Tensor table = Tensor.of(new double[] {0, 0, 0, 0, 0, 0}, 3, 2).requireGrad();
        table.indexSelect(0, new int[] {1, 2, 1, 1}).sum().backward();
        assertArrayEquals(new double[] {0, 0, 3, 3, 1, 1}, table.grad().toDoubleArray());
    }

    @Test
    void scatterAddValuesAndGradients() {
        // torch: zeros(2, 3).scatter_add(1, [[0, 0], [2, 1]], [[1, 2, 9], [3, 4, 9]]) = [[3, 0, 0], [0, 4, 3]]
        Tensor self = Tensor.zeros(2, 3);
        Tensor src = Tensor.of(new float[] {1, 2, 9, 3, 4, 9}, 2, 3);
        Tensor out = self.scatterAdd(1, Tensor.of(new float[] {0, 0, 2, 1}, 2, 2), src);
        assertArrayEquals(new float[] {3, 0, 0, 0, 4, 3}, out.toFloatArray());
        assertArrayEquals(new float[6], self.toFloatArray(), "scatterAdd must not modify self");

        Tensor index = idx(new double[] {0, 0, 2, 1, 3, 3}, 3, 2);
        GradCheck.check("scatterAdd self and src", in -> in[0].scatterAdd(1, index, in[1]).mul(in[0]), x(3, 4), x(3, 3));
        Tensor index0 = idx(new double[] {1, 1, 0, 1}, 2, 2);
        GradCheck.check("scatterAdd dim 0", in -> in[0].scatterAdd(0, index0, in[1]), x(2, 3), x(2, 2));
    }

    @Test
    void oneHotRows() {
        Tensor t = Tensor.oneHot(new int[] {2, 0}, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, t.toFloatArray());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.oneHot(new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("oneHot") && e.getMessage().contains("label 3") && e.getMessage().contains("position 1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.oneHot(new int[] {-1}, 3));
    }

    @Test
    void badIndicesAreNamed() {
        Tensor t = Tensor.zeros(2, 3);
        var range = assertThrows(IndexOutOfBoundsException.class, () -> t.gather(1, Tensor.of(new float[] {0, 3}, 1, 2)));
        assertTrue(range.getMessage().contains("gather: index 3") && range.getMessage().contains("size 3"), range.getMessage());
        var frac = assertThrows(IllegalArgumentException.class, () -> t.gather(1, Tensor.of(new float[] {0.5f}, 1, 1)));
        assertTrue(frac.getMessage().contains("gather: index 0.5") && frac.getMessage().contains("not a whole number"), frac.getMessage());
        var neg = assertThrows(IndexOutOfBoundsException.class, () -> t.indexSelect(0, new int[] {0, -1}));
        assertTrue(neg.getMessage().contains("indexSelect: index -1") && neg.getMessage().contains("size 2"), neg.getMessage());
        var sc = assertThrows(IndexOutOfBoundsException.class,
                () -> t.scatterAdd(0, Tensor.of(new float[] {2}, 1, 1), Tensor.ones(1, 1)));
        assertTrue(sc.getMessage().contains("scatterAdd: index 2") && sc.getMessage().contains("size 2"), sc.getMessage());
        var shape = assertThrows(ShapeException.class, () -> t.gather(0, Tensor.zeros(1, 4)));
        assertTrue(shape.getMessage().contains("gather") && shape.getMessage().contains("[1, 4]") && shape.getMessage().contains("[2, 3]"), shape.getMessage());
        assertThrows(ShapeException.class, () -> t.gather(0, Tensor.zeros(2)));
    }
}
