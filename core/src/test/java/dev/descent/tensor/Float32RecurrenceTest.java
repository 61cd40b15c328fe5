package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.tensor.Recurrence.Cell;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The float32 recurrence ({@link Float32Recurrence}: GEMMs and fused float gate passes) against
 * the float64 definition the gradient checks cover, for every cell and direction with given
 * initial states and biases (the output, the LSTM's final cell state, and the gradients of all
 * seven inputs), and its bits across kernel modes and thread counts (on a batch large enough to
 * split the gate passes). Sizes are multiples of no vector length: batch 3, 11 steps, 13 inputs,
 * hidden 20.
 */
@ExtendWith(GlobalSettings.class)
class Float32RecurrenceTest {
    private static final int B = 3, T = 11, I = 13, H = 20;
    /**
     * A batch whose gate passes split over threads: an LSTM step's 77 rows of 80 gate values go
     * to 3 threads in shares of at least 25 rows (Float32Recurrence's 2048 values), a GRU's to 2.
     */
    private static final int SPLIT_BATCH = 77;

    /** Output, cell state (LSTM) and the gradients of x, W_ih, W_hh, b_ih, b_hh, h0, c0 (LSTM), as floats. */
    private static List<float[]> run(Cell cell, boolean reverse, DType dtype, int batch) {
        Generator gen = Generator.seeded(21 + cell.ordinal());
        int g = cell.gates * H;
        List<Tensor> in = new ArrayList<>(List.of(Tensor.randn(gen, batch, T, I), Tensor.randn(gen, g, I).mul(0.3), Tensor.randn(gen, g, H).mul(0.3),
                Tensor.randn(gen, g).mul(0.3), Tensor.randn(gen, g).mul(0.3), Tensor.randn(gen, batch, H), Tensor.randn(gen, batch, H)));
        Tensor weights = Tensor.randn(gen, batch, T, H);
        if (dtype == DType.F64) {
            in.replaceAll(Tensor::toF64);
            weights = weights.toF64();
        }
        in.replaceAll(t -> t.detach().requireGrad());
        Tensor c0 = cell == Cell.LSTM ? in.get(6) : null;
        Recurrence.Result r = Recurrence.run(cell, in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), in.get(5), c0, reverse);
        r.output().mul(weights).sum().backward();
        List<float[]> out = new ArrayList<>();
        out.add(r.output().toFloatArray());
        if (c0 != null) out.add(r.cellState().toFloatArray());
        for (int i = 0; i < (c0 != null ? 7 : 6); i++) out.add(in.get(i).grad().toFloatArray());
        return out;
    }

    @Test
    void agreesWithTheFloat64Definition() {
        for (Cell cell : Cell.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                List<float[]> f = run(cell, reverse, DType.F32, B), d = run(cell, reverse, DType.F64, B);
                for (int part = 0; part < f.size(); part++) {
                    float[] a = f.get(part), e = d.get(part);
                    double worst = 0, size = 0;
                    for (int i = 0; i < a.length; i++) {
                        worst = Math.max(worst, Math.abs(a[i] - e[i]));
                        size = Math.max(size, Math.abs(e[i]));
                    }
                    // Measured at most 6.0e-7 of the largest magnitude (1 to 10): float32 roundings
                    // accumulated over 11 steps; 5e-6 still catches a wrong gate, bias or step order,
                    // which shows at the size of the values.
                    assertEquals(0, worst / size, 5e-6, cell + (reverse ? " reverse" : "") + " part " + part);
                }
            }
        }
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void sameBitsInEveryKernelModeAndThreadCount(boolean vectorized, int threads) {
        for (Cell cell : Cell.values()) {
            List<float[]> reference = KernelMatrix.reference(() -> run(cell, true, DType.F32, SPLIT_BATCH));
            List<float[]> here = KernelMatrix.in(vectorized, threads, () -> run(cell, true, DType.F32, SPLIT_BATCH));
            for (int part = 0; part < reference.size(); part++) assertArrayEquals(reference.get(part), here.get(part), cell + " part " + part);
        }
    }
}
