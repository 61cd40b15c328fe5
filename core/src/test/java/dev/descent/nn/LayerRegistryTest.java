package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.registry.OptionException;
import dev.descent.registry.Row;
import dev.descent.registry.Values;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LayerRegistry}'s rows make the layers of the public factories, with PyTorch's defaults. */
class LayerRegistryTest {
    private static LayerRegistry.Input input(int... shape) {
        return new LayerRegistry.Input(shape, 0, Generator.seeded(3));
    }

    private static void assertSameParameters(Module want, Module got) {
        Map<String, Tensor> w = want.stateDict(), g = got.stateDict();
        assertEquals(w.keySet(), g.keySet());
        for (String k : w.keySet()) assertArrayEquals(w.get(k).toFloatArray(), g.get(k).toFloatArray(), 0f, k);
    }

    /** Defaults are PyTorch's: one layer, biases, one direction, no dropout; input size from the shape. */
    @Test
    void aRowWithDefaultsMakesTheFactorysLayerBitForBit() {
        Row<LayerRegistry.Input, Module> lstm = LayerRegistry.REGISTRY.require("lstm");
        Module made = lstm.make(input(5, 6), Values.of(lstm).with("hidden", 4));
        assertSameParameters(LSTM.of(6, 4, 1, true, false, 0.0, Generator.seeded(3)), made);

        Row<LayerRegistry.Input, Module> linear = LayerRegistry.REGISTRY.require("linear");
        assertSameParameters(Linear.of(7, 3, true, Generator.seeded(3)), linear.make(input(7), Values.of(linear).with("out", 3)));
    }

    /** 'vocab' is the run's vocabulary size, and refused, naming the option, when there is none. */
    @Test
    void theVocabularyWordNeedsAVocabulary() {
        Row<LayerRegistry.Input, Module> linear = LayerRegistry.REGISTRY.require("linear");
        Module made = linear.make(new LayerRegistry.Input(new int[] {8}, 11, Generator.seeded(3)), Values.of(linear).with("out", "vocab"));
        assertArrayEquals(new int[] {11, 8}, made.stateDict().get("weight").shape());
        var e = assertThrows(OptionException.class, () -> linear.make(input(8), Values.of(linear).with("out", "vocab")));
        assertEquals("out", e.option());
    }

    /** A layer refuses examples of the wrong rank before anything else, saying what to do. */
    @Test
    void aWrongRankIsRefusedWithAHint() {
        var e = assertThrows(IllegalArgumentException.class, () -> LayerRegistry.checkInput("conv2d", new int[] {4}));
        assertEquals("receives examples of shape [4], expected 3 dimensions; it needs [channels, height, width] examples", e.getMessage());
        Row<LayerRegistry.Input, Module> lstm = LayerRegistry.REGISTRY.require("lstm");
        assertThrows(IllegalArgumentException.class, () -> lstm.make(input(4), Values.of(lstm).with("hidden", 2)));
        LayerRegistry.checkInput("relu", new int[] {4});
        LayerRegistry.checkInput("linear", new int[] {4, 5});
    }
}
