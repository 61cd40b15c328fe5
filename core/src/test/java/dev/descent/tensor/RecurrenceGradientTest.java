package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.descent.tensor.Recurrence.Cell;
import org.junit.jupiter.api.Test;

/**
 * Float64 central-difference checks of the recurrent operation's backward pass through time:
 * every cell, both directions, with and without biases, with given initial states; the
 * gradients of the input, both weights, both biases, h0 and (LSTM) c0.
 */
class RecurrenceGradientTest {
    private final Generator gen = Generator.seeded(4);

    private void check(Cell cell, boolean reverse, boolean bias, boolean initial) {
        int b = 2, t = 3, in = 3, h = 2, g = cell.gates * h;
        Tensor x = GradCheck.randn(gen, b, t, in), wi = GradCheck.randn(gen, g, in).mul(0.5), wh = GradCheck.randn(gen, g, h).mul(0.5);
        Tensor bi = GradCheck.randn(gen, g), bh = GradCheck.randn(gen, g);
        Tensor h0 = GradCheck.randn(gen, b, h), c0 = GradCheck.randn(gen, b, h);
        String name = cell + (reverse ? " reverse" : "") + (bias ? "" : " no bias") + (initial ? " h0" : "");
        if (!bias && !initial) {
            GradCheck.check(name, v -> Recurrence.run(cell, v[0], v[1], v[2], null, null, null, null, reverse).output(), x, wi, wh);
        } else if (!initial) {
            GradCheck.check(name, v -> Recurrence.run(cell, v[0], v[1], v[2], v[3], v[4], null, null, reverse).output(), x, wi, wh, bi, bh);
        } else if (cell == Cell.LSTM) {
            GradCheck.check(name, v -> Recurrence.run(cell, v[0], v[1], v[2], v[3], v[4], v[5], v[6], reverse).output(), x, wi, wh, bi, bh, h0, c0);
        } else {
            GradCheck.check(name, v -> Recurrence.run(cell, v[0], v[1], v[2], v[3], v[4], v[5], null, reverse).output(), x, wi, wh, bi, bh, h0);
        }
    }

    @Test
    void everyCellBothDirections() {
        for (Cell cell : Cell.values()) {
            for (boolean reverse : new boolean[] {false, true}) {
                check(cell, reverse, true, false);
                check(cell, reverse, false, false);
                check(cell, reverse, true, true);
            }
        }
    }

    @Test
    void reverseIsTheForwardPassOfTheTimeReversedSequence() {
        Tensor x = GradCheck.randn(gen, 2, 4, 3), wi = GradCheck.randn(gen, 8, 3), wh = GradCheck.randn(gen, 8, 2);
        Tensor fwd = Recurrence.run(Cell.LSTM, flip(x), wi, wh, null, null, null, null, false).output();
        Tensor rev = Recurrence.run(Cell.LSTM, x, wi, wh, null, null, null, null, true).output();
        assertArrayEquals(flip(fwd).toDoubleArray(), rev.toDoubleArray(), 0);
    }

    private static Tensor flip(Tensor x) {
        int t = x.size(1);
        java.util.List<Tensor> steps = new java.util.ArrayList<>();
        for (int i = t - 1; i >= 0; i--) steps.add(x.narrow(1, i, 1));
        return Tensor.cat(steps, 1);
    }
}
