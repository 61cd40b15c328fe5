package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedding's padding_idx and max_norm, learned positions, and the transformer stack's names. */
class SequenceLayerTest {
    @Test
    void paddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding e = Embedding.of(5, 3, 2, Double.NaN, Generator.seeded(1));
        assertArrayEquals(new float[] {0, 0, 0}, e.weight().narrow(0, 2, 1).toFloatArray());
        e.forward(Tensor.of(new float[] {2, 1, 2, 4}, 2, 2)).sum().backward();
        float[] g = e.weight().grad().toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, g);
    }

    @Test
    void maxNormRescalesTheRowsLookedUpAsPyTorchDoes() {
        Embedding e = Embedding.of(3, 2, -1, 1.0, Generator.seeded(1));
        float[] w = e.weight().data();
        System.arraycopy(new float[] {3, 4, 0.3f, 0.4f, 6, 8}, 0, w, 0, 6);
        Tensor y = e.forward(Tensor.of(new float[] {0, 1}, 2));
        // row 0 has norm 5 > 1: scaled by 1 / (5 + 1e-7); row 1 (norm 0.5) and row 2 (not looked up) stay
        float s = (float) (1.0 / (5 + 1e-7));
        assertArrayEquals(new float[] {3 * s, 4 * s, 0.3f, 0.4f}, y.toFloatArray());
        assertArrayEquals(new float[] {3 * s, 4 * s, 0.3f, 0.4f, 6, 8}, e.weight().toFloatArray());
    }

    @Test
    void positionsAddTheFirstTRows() {
        PositionalEmbedding p = PositionalEmbedding.of(4, 2, Generator.seeded(1));
        float[] w = p.parameter("weight").toFloatArray();
        Tensor y = p.forward(Tensor.zeros(2, 3, 2));
        float[] expected = new float[12];
        for (int b = 0; b < 2; b++) System.arraycopy(w, 0, expected, b * 6, 6);
        assertArrayEquals(expected, y.toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> p.forward(Tensor.zeros(1, 5, 2)));
        assertEquals(true, e.getMessage().contains("time <= 4"), e.getMessage());
    }

    @Test
    void encoderStackHasPyTorchsNamesInPyTorchsOrder() {
        Generator g = Generator.seeded(1);
        TransformerEncoder enc = TransformerEncoder.of(List.of(TransformerEncoderLayer.of(8, 2, 16, 0, "relu", true, g),
                TransformerEncoderLayer.of(8, 2, 16, 0, "gelu", true, g)), true);
        List<String> names = List.copyOf(enc.stateDict().keySet());
        assertEquals(List.of("layers.0.self_attn.in_proj_weight", "layers.0.self_attn.in_proj_bias", "layers.0.self_attn.out_proj.weight",
                "layers.0.self_attn.out_proj.bias", "layers.0.linear1.weight", "layers.0.linear1.bias", "layers.0.linear2.weight",
                "layers.0.linear2.bias", "layers.0.norm1.weight", "layers.0.norm1.bias", "layers.0.norm2.weight", "layers.0.norm2.bias"),
                names.subList(0, 12));
        assertEquals(24, names.size());
        assertArrayEquals(new int[] {2, 5, 8}, enc.forward(Tensor.zeros(2, 5, 8)).shape());
    }

    @Test
    void attentionStartsAsPyTorchInitializesIt() {
        MultiheadAttention m = MultiheadAttention.of(8, 2, Generator.seeded(1));
        // in_proj_weight Xavier-uniform on [24, 8]: bound sqrt(6 / (8 + 24)); the biases zero
        double bound = Math.sqrt(6.0 / 32);
        for (float v : m.stateDict().get("in_proj_weight").toFloatArray()) assertEquals(true, Math.abs(v) <= bound);
        assertArrayEquals(new float[24], m.stateDict().get("in_proj_bias").toFloatArray());
        assertArrayEquals(new float[8], m.stateDict().get("out_proj.bias").toFloatArray());
    }
}
