package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The float32 attention path (GEMMs per slice, {@link Float32Attention}) against the float64
 * definition the gradient checks cover, and its bits across kernel modes and thread counts. The
 * shapes are the transformer's (query, key and value as head views of one packed [B, T, 3E]
 * projection, so strided) at odd sizes: T = 37 and head width 20 are multiples of no vector
 * length, and the slices (2 x 3 = 6) split unevenly over 4 and 3 threads.
 */
@ExtendWith(GlobalSettings.class)
class Float32AttentionTest {
    private static final int B = 2, H = 3, T = 37, D = 20;

    /** Inputs, as heads [B, H, T, D] of a packed projection; mask kind: 0 none, 1 causal, 2 causal plus padding and an additive mask. */
    private static List<float[]> run(int maskKind, DType dtype) {
        Generator gen = Generator.seeded(11);
        Tensor packed = Tensor.randn(gen, B, T, 3 * H * D).mul(1.5);
        Tensor weights = Tensor.randn(gen, B, H, T, D);
        Tensor bias = null;
        if (maskKind == 2) {
            float[] m = new float[B * T * T];
            Tensor additive = Tensor.randn(gen, T, T);
            float[] a = additive.toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < T; i++) {
                    for (int j = 0; j < T; j++) {
                        // batch 1 pads its last 5 keys; in batch 0 query 3 sees no key at all
                        boolean hidden = (b == 1 && j >= T - 5) || (b == 0 && i == 3);
                        m[(b * T + i) * T + j] = hidden ? Float.NEGATIVE_INFINITY : a[i * T + j];
                    }
                }
            }
            bias = Tensor.of(m, B, 1, T, T);
        }
        if (dtype == DType.F64) {
            packed = packed.toF64();
            weights = weights.toF64();
            if (bias != null) bias = bias.toF64();
        }
        packed = packed.detach().requireGrad();
        Tensor q = heads(packed, 0), k = heads(packed, 1), v = heads(packed, 2);
        Tensor out = q.scaledDotProductAttention(k, v, bias, maskKind > 0);
        out.mul(weights).sum().backward();
        List<float[]> r = new ArrayList<>();
        r.add(out.toFloatArray());
        r.add(packed.grad().toFloatArray());
        return r;
    }

    private static Tensor heads(Tensor packed, int part) {
        return packed.narrow(2, part * H * D, H * D).reshape(B, T, H, D).permute(0, 2, 1, 3);
    }

    @Test
    void agreesWithTheFloat64Definition() {
        for (int maskKind = 0; maskKind < 3; maskKind++) {
            List<float[]> f = run(maskKind, DType.F32), d = run(maskKind, DType.F64);
            for (int part = 0; part < 2; part++) {
                float[] a = f.get(part), b = d.get(part);
                double worst = 0, size = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                    size = Math.max(size, Math.abs(b[i]));
                }
                assertEquals(0, worst / size, 2e-6, "mask kind " + maskKind + (part == 0 ? " output" : " gradient"));
            }
        }
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void sameBitsInEveryKernelModeAndThreadCount(boolean vectorized, int threads) {
        for (int maskKind = 0; maskKind < 3; maskKind++) {
            int kind = maskKind;
            List<float[]> reference = KernelMatrix.reference(() -> run(kind, DType.F32));
            List<float[]> cell = KernelMatrix.in(vectorized, threads, () -> run(kind, DType.F32));
            assertArrayEquals(reference.get(0), cell.get(0), "mask kind " + maskKind + " output");
            assertArrayEquals(reference.get(1), cell.get(1), "mask kind " + maskKind + " gradient");
        }
    }

    @Test
    void aQueryWhoseKeysAreAllMaskedAttendsNothing() {
        List<float[]> f = run(2, DType.F32);
        for (int h = 0; h < H; h++) {
            for (int c = 0; c < D; c++) assertEquals(0f, f.get(0)[((0 * H + h) * T + 3) * D + c], "head " + h);
        }
    }
}
