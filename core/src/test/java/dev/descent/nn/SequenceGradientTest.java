package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.loss.Losses;
import dev.descent.tensor.GradCheck;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Float64 central-difference gradient checks ({@link GradCheck}) of what sequence models are
 * built from, on batch-first [B, T, F] shapes: scaled dot-product attention (plain, causal,
 * with additive and key-padding masks, Tq != Tk), the linear map, layer norm, activations and
 * dropout over the last dimension, and cross-entropy of [B, T, V] logits against [B, T] targets
 * with ignored positions.
 */
class SequenceGradientTest {
    private final Generator gen = Generator.seeded(18);

    @Test
    void attentionWithoutMask() {
        GradCheck.check("sdpa", in -> in[0].scaledDotProductAttention(in[1], in[2], null, false),
                GradCheck.randn(gen, 2, 2, 4, 3), GradCheck.randn(gen, 2, 2, 5, 3), GradCheck.randn(gen, 2, 2, 5, 2));
    }

    @Test
    void attentionCausal() {
        GradCheck.check("sdpa causal", in -> in[0].scaledDotProductAttention(in[1], in[2], null, true),
                GradCheck.randn(gen, 2, 3, 4), GradCheck.randn(gen, 2, 3, 4), GradCheck.randn(gen, 2, 3, 4));
    }

    @Test
    void attentionWithAdditiveAndPaddingMasks() {
        double inf = Double.NEGATIVE_INFINITY;
        // key 3 of batch row 1 is padding; a random additive bias [T, T] on top, broadcast over batch and heads
        Tensor padding = Tensor.of(new double[] {0, 0, 0, 0, 0, 0, 0, inf}, 2, 1, 1, 4);
        Tensor bias = GradCheck.randn(gen, 4, 4).add(padding);
        GradCheck.check("sdpa masks", in -> in[0].scaledDotProductAttention(in[1], in[2], bias, true),
                GradCheck.randn(gen, 2, 2, 4, 3), GradCheck.randn(gen, 2, 2, 4, 3), GradCheck.randn(gen, 2, 2, 4, 3));
    }

    @Test
    void attentionValuesMatchTheComposedFormula() {
        Tensor q = GradCheck.randn(gen, 2, 3, 4), k = GradCheck.randn(gen, 2, 5, 4), v = GradCheck.randn(gen, 2, 5, 2);
        Tensor bias = GradCheck.randn(gen, 3, 5);
        Tensor fused = q.scaledDotProductAttention(k, v, bias, false);
        Tensor composed = q.matmul(k.transpose(1, 2)).div(2.0).add(bias).softmax(2).matmul(v);
        assertArrayEquals(composed.toDoubleArray(), fused.toDoubleArray(), 1e-12);
    }

    @Test
    void aQueryWhoseKeysAreAllMaskedAttendsNothing() {
        double inf = Double.NEGATIVE_INFINITY;
        Tensor q = GradCheck.randn(gen, 1, 2, 3).requireGrad(), k = GradCheck.randn(gen, 1, 2, 3), v = GradCheck.randn(gen, 1, 2, 3);
        Tensor out = q.scaledDotProductAttention(k, v, Tensor.of(new double[] {inf, inf, 0, 0}, 2, 2), false);
        assertArrayEquals(new double[] {0, 0, 0}, out.narrow(1, 0, 1).toDoubleArray());
        out.sum().backward();
        assertArrayEquals(new double[] {0, 0, 0}, q.grad().narrow(1, 0, 1).toDoubleArray());
    }

    @Test
    void attentionRejectsAMaskThatDoesNotBroadcast() {
        Tensor q = GradCheck.randn(gen, 2, 3, 4);
        var e = assertThrows(RuntimeException.class, () -> q.scaledDotProductAttention(q, q, GradCheck.randn(gen, 4, 4), false));
        assertEquals(true, e.getMessage().startsWith("scaledDotProductAttention") && e.getMessage().contains("[4, 4]"), e.getMessage());
    }

    @Test
    void linearOverTheLastDimension() {
        GradCheck.check("linear [B, T, F]", in -> in[0].linear(in[1], in[2]),
                GradCheck.randn(gen, 2, 3, 4), GradCheck.randn(gen, 5, 4), GradCheck.randn(gen, 5));
    }

    @Test
    void layerNormOverTheLastDimension() {
        GradCheck.check("layer norm [B, T, F]", in -> LayerNorm.layerNorm(in[0], new int[] {4}, in[1], in[2], 1e-5),
                GradCheck.randn(gen, 2, 3, 4), GradCheck.randn(gen, 4), GradCheck.randn(gen, 4));
    }

    @Test
    void activationsOverTheLastDimension() {
        GradCheck.check("gelu [B, T, F]", in -> Activations.gelu().forward(in[0]), GradCheck.randn(gen, 2, 3, 4));
        GradCheck.check("relu [B, T, F]", in -> Activations.relu().forward(in[0]), GradCheck.uniform(gen, 0.1, 1, 2, 3, 4).mul(
                Tensor.of(new double[] {1, -1, 1, -1}, 4)));
    }

    @Test
    void dropoutOverTheLastDimension() {
        Dropout d = Dropout.of(0.3);
        // the same mask in every evaluation: a fresh generator of one seed each time
        GradCheck.check("dropout [B, T, F]", in -> d.forward(in[0], Generator.seeded(5)), GradCheck.randn(gen, 2, 3, 4));
    }

    @Test
    void crossEntropyOfSequenceLogitsWithIgnoredTokens() {
        Tensor targets = Tensor.of(new float[] {0, 4, -100, 2, 1, 3}, 2, 3);
        GradCheck.check("cross-entropy [B, T, V]", in -> Losses.crossEntropy(null, -100, 0).apply(in[0], targets), GradCheck.randn(gen, 2, 3, 5));
    }

    @Test
    void sequenceCrossEntropyIsTheMeanOverTheTokensNotIgnored() {
        Tensor logits = GradCheck.randn(gen, 2, 3, 5);
        Tensor targets = Tensor.of(new float[] {0, 4, -100, 2, 1, 3}, 2, 3);
        double[] x = logits.toDoubleArray();
        float[] t = targets.toFloatArray();
        double sum = 0;
        int counted = 0;
        for (int r = 0; r < 6; r++) {
            if (t[r] == -100) continue;
            double lse = 0;
            for (int c = 0; c < 5; c++) lse += Math.exp(x[r * 5 + c]);
            sum += Math.log(lse) - x[r * 5 + (int) t[r]];
            counted++;
        }
        assertEquals(sum / counted, Losses.crossEntropy(null, -100, 0).apply(logits, targets).item(), 1e-12);
        // float32 logits take the fused path when nothing is ignored: the same mean over all tokens
        Tensor all = Tensor.of(new float[] {0, 4, 1, 2, 1, 3}, 2, 3);
        double flat = Losses.crossEntropy().apply(logits.toF32().reshape(6, 5), all.reshape(6)).item();
        assertEquals(flat, Losses.crossEntropy().apply(logits.toF32(), all).item(), 0);
    }

    @Test
    void causalAttentionIgnoresTheFuture() {
        MultiheadAttention mha = MultiheadAttention.of(8, 2, Generator.seeded(3));
        Tensor x = Tensor.randn(gen, 1, 5, 8);
        Tensor changed = Tensor.cat(java.util.List.of(x.narrow(1, 0, 3), Tensor.randn(gen, 1, 2, 8)), 1);
        Tensor a = mha.forward(x, null, true, null), b = mha.forward(changed, null, true, null);
        assertArrayEquals(a.narrow(1, 0, 3).toFloatArray(), b.narrow(1, 0, 3).toFloatArray());
        // and the flag is the float mask of generate_square_subsequent_mask
        assertArrayEquals(a.toFloatArray(), mha.forward(x, SequenceReferenceTest.causalMask(5), false, null).toFloatArray(), 1e-6f);
    }
}
