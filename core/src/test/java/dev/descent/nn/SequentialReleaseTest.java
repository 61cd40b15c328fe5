package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.ReleaseScope;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inside a ReleaseScope a Sequential gives back the activations it passes between modules that
 * keep none, and nothing else: not its input, not its output (nor storage the output shares), not
 * what a module that may keep activations sees.
 */
class SequentialReleaseTest {
    private static final int ROWS = 64, WIDTH = 128; // 8192 floats per activation: pooled

    /** Identity that records what it sees, claiming (or not) to keep nothing: the test's window into the pass. */
    private static final class Spy extends Module {
        final List<Tensor> seen = new ArrayList<>();
        final boolean keeps;

        Spy(boolean keeps) {
            this.keeps = keeps;
        }

        @Override
        public Tensor forward(Tensor input) {
            seen.add(input);
            return input.mul(1.0);
        }

        @Override
        public boolean keepsActivations() {
            return keeps;
        }
    }

    /** More than the pool keeps of one length: taking this many empties it for that length. */
    private static final int DRAIN = 16;

    /**
     * Whether one of the next float32 tensors of t's size reuses t's storage (it was released).
     * Takes every pooled array of that size, so it also drains what backward recycled.
     */
    private static boolean released(Tensor t) {
        boolean found = false;
        for (int i = 0; i < DRAIN; i++) found |= Tensor.empty(t.shape()).sharesStorage(t);
        return found;
    }

    @Test
    void activationsBetweenBuiltInLayersAreReleasedAtClose() {
        Generator gen = Generator.seeded(2);
        Spy spy = new Spy(false);
        Sequential model = Sequential.of(Linear.of(WIDTH, WIDTH, gen), spy, Activations.relu(), Linear.of(WIDTH, WIDTH, gen));
        Tensor x = Tensor.randn(gen, ROWS, WIDTH);
        Tensor out;
        try (ReleaseScope scope = ReleaseScope.open()) {
            out = model.forward(x);
            out.sum().backward();
            assertFalse(released(spy.seen.get(0)), "nothing moves before the scope closes");
        }
        assertTrue(released(spy.seen.get(0)), "the first Linear's output, read by a module that keeps nothing");
        assertFalse(released(x), "the input belongs to the caller");
        assertFalse(released(out), "the output belongs to the caller");
    }

    @Test
    void aModuleThatMayKeepActivationsKeepsItsInputAndOutput() {
        Generator gen = Generator.seeded(3);
        Spy keeper = new Spy(true);
        Spy after = new Spy(false);
        Sequential model = Sequential.of(Linear.of(WIDTH, WIDTH, gen), keeper, after, Linear.of(WIDTH, WIDTH, gen));
        try (ReleaseScope scope = ReleaseScope.open()) {
            model.forward(Tensor.randn(gen, ROWS, WIDTH));
        }
        assertFalse(released(keeper.seen.get(0)), "the keeper's input");
        assertFalse(released(after.seen.get(0)), "the keeper's output");
        assertTrue(model.keepsActivations(), "a Sequential keeps activations when one of its modules may");
    }

    @Test
    void storageTheOutputSharesIsNotReleased() {
        Generator gen = Generator.seeded(4);
        Spy spy = new Spy(false);
        // Flatten's output is a view of the spy's output: the caller holds that storage.
        Sequential model = Sequential.of(Linear.of(WIDTH, WIDTH, gen), spy, Flatten.of());
        Tensor out;
        try (ReleaseScope scope = ReleaseScope.open()) {
            out = model.forward(Tensor.randn(gen, ROWS, WIDTH));
            released(out);
        }
        assertTrue(released(spy.seen.get(0)), "the Linear's output is private");
        float[] before = out.toFloatArray();
        for (int i = 0; i < DRAIN; i++) Tensor.empty(out.shape()).data()[0] = Float.NaN;
        assertArrayEquals(before, out.toFloatArray(), "the output was not handed out");
    }

    @Test
    void noScopeNoRelease() {
        Generator gen = Generator.seeded(5);
        Spy spy = new Spy(false);
        Sequential.of(Linear.of(WIDTH, WIDTH, gen), spy, Activations.relu()).forward(Tensor.randn(gen, ROWS, WIDTH));
        assertFalse(released(spy.seen.get(0)));
    }
}
