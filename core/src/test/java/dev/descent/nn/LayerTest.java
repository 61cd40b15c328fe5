package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes, options and errors of the individual layers (their numbers are checked by LayerReferenceTest). */
class LayerTest {
    private final Generator gen = Generator.seeded(51);

    @Test
    void linearAcceptsVectorsAndBatchesOfAnyRank() {
        Linear l = Linear.of(3, 2, gen);
        l.loadStateDict(java.util.Map.of("weight", Tensor.of(new float[] {1, 0, -1, 2, 2, 2}, 2, 3), "bias", Tensor.vector(0.5f, -1)), true);
        assertArrayEquals(new float[] {-1.5f, 11f}, l.forward(Tensor.vector(1, 2, 3)).toFloatArray());
        Tensor y = l.forward(Tensor.ones(4, 5, 3));
        assertArrayEquals(new int[] {4, 5, 2}, y.shape());
        assertEquals(5.0, y.get(3, 4, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.ones(4, 2)));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("does not end in 3"), e.getMessage());
    }

    @Test
    void linearWithoutBiasHasOnlyAWeight() {
        Linear l = Linear.of(3, 2, false, gen);
        assertEquals(List.of("weight"), List.copyOf(l.stateDict().keySet()));
        assertNull(l.bias());
        assertArrayEquals(new float[] {0, 0}, l.forward(Tensor.zeros(3)).toFloatArray());
    }

    @Test
    void conv2dParametersAndValidation() {
        Conv2d c = Conv2d.of(4, 6, new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2, false, gen);
        assertEquals(List.of("weight"), List.copyOf(c.stateDict().keySet()));
        assertArrayEquals(new int[] {6, 2, 3, 1}, c.weight().shape());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.of(4, 6, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, 3, true, gen), "groups must divide the channels");
        assertThrows(IllegalArgumentException.class, () -> Conv2d.of(3, 3, 0, gen));
        var e = assertThrows(IllegalArgumentException.class, () -> Conv2d.of(3, 8, 3, gen).forward(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e.getMessage().contains("[1, 2, 5, 5]"), e.getMessage());
    }

    @Test
    void poolingValidatesItsOptions() {
        assertThrows(IllegalArgumentException.class, () -> MaxPool2d.of(2, 2, 2), "padding at most half the kernel");
        assertThrows(IllegalArgumentException.class, () -> AvgPool2d.of(0));
        assertTrue(MaxPool2d.of(3).toString().contains("stride=[3, 3]"), "stride defaults to the kernel size");
        assertTrue(AvgPool2d.of(new int[] {2, 3}, null, new int[] {0, 1}).toString().contains("stride=[2, 3]"));
        assertThrows(IllegalArgumentException.class, () -> MaxPool2d.of(2).forward(Tensor.zeros(2, 4, 4)));
    }

    @Test
    void flattenKeepsTheBatchDimension() {
        assertArrayEquals(new int[] {2, 60}, Flatten.of().forward(Tensor.zeros(2, 3, 4, 5)).shape());
        assertArrayEquals(new int[] {2, 3, 20}, Flatten.of(2).forward(Tensor.zeros(2, 3, 4, 5)).shape());
    }

    @Test
    void embeddingLooksUpRowsAndAccumulatesRepeatedIndices() {
        Embedding e = Embedding.of(5, 2, gen);
        Tensor idx = Tensor.of(new float[] {4, 1, 4, 0}, 2, 2);
        Tensor y = e.forward(idx);
        assertArrayEquals(new int[] {2, 2, 2}, y.shape());
        float[] w = e.weight().toFloatArray();
        assertEquals(w[8], y.get(0, 0, 0));
        assertEquals(w[3], y.get(0, 1, 1));
        y.sum().backward();
        // row 4 was selected twice, rows 0 and 1 once, rows 2 and 3 never
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 2, 2}, e.weight().grad().toFloatArray());
    }

    @Test
    void embeddingRejectsIndicesThatAreNotWholeOrInRange() {
        Embedding e = Embedding.of(3, 2, gen);
        var frac = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.vector(0, 1.5f)));
        assertTrue(frac.getMessage().contains("1.5") && frac.getMessage().contains("position 1"), frac.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.vector(3)));
        assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.vector(-1)));
    }

    @Test
    void layerNormShapesAndErrors() {
        LayerNorm ln = LayerNorm.of(3, 4);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        assertArrayEquals(new int[] {3, 4}, ln.namedParameters().get("weight").shape());
        Tensor y = ln.forward(Tensor.randn(gen, 2, 3, 4));
        assertEquals(0, y.mean(new int[] {1, 2}, false).get(1), 1e-6);
        var e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 4, 3)));
        assertTrue(e.getMessage().contains("[2, 4, 3]") && e.getMessage().contains("[3, 4]"), e.getMessage());
        assertEquals(List.of(), List.copyOf(LayerNorm.of(new int[] {4}, 1e-6, false).stateDict().keySet()));
    }

    @Test
    void houseExampleTrainsEndToEndShapes() {
        Generator rng = Generator.seeded(42);
        var model = Sequential.of(Linear.of(784, 256, rng), Activations.relu(), Dropout.of(0.2, rng), Linear.of(256, 10, rng));
        Tensor logits = model.forward(Tensor.randn(rng, 8, 784));
        assertArrayEquals(new int[] {8, 10}, logits.shape());
        logits.logSoftmax(1).mean().backward();
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(model.namedParameters().keySet()));
        for (Tensor p : model.parameters()) assertArrayEquals(p.shape(), p.grad().shape());
    }
}
