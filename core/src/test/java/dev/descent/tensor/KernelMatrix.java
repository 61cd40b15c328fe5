package dev.descent.tensor;

import dev.descent.tensor.kernel.KernelMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

/**
 * The vector/scalar x thread-count matrix, as arguments {@code (boolean vectorized, int threads)}
 * for {@code @ParameterizedTest @ArgumentsSource(KernelMatrix.class)}: scalar kernels, and vector
 * kernels where the Vector API is present, each on 1, 2 and 3 threads (3: a count that divides no
 * power of two, so uneven shares are covered). Pair it with {@code @ExtendWith(GlobalSettings.class)}
 * and run a cell with {@link #in}; a test that a cell gives the same bits as every other compares
 * it with the {@link #reference} cell, scalar kernels on one thread. {@link Threads} is the
 * thread-count column alone, for a test of one kernel mode, {@link Modes} the mode row alone, for a
 * kernel that runs on one thread.
 */
public final class KernelMatrix implements ArgumentsProvider {
    /** The thread counts of the matrix. */
    public static final int[] THREADS = {1, 2, 3};

    /** The kernel modes of the matrix: scalar, and vector where available. */
    public static List<Boolean> modes() {
        List<Boolean> modes = new ArrayList<>(List.of(false));
        if (KernelMode.vectorAvailable()) modes.add(true);
        return modes;
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        List<Arguments> out = new ArrayList<>();
        for (boolean vectorized : modes()) {
            for (int t : THREADS) out.add(Arguments.of(vectorized, t));
        }
        return out.stream();
    }

    /** What {@code run} gives in one cell of the matrix; the settings before it are back afterwards. */
    public static <T> T in(boolean vectorized, int threads, Supplier<T> run) {
        try (var s = GlobalSettings.scoped(threads, vectorized)) {
            return run.get();
        }
    }

    /** What {@code run} gives in the reference cell: scalar kernels on one thread. */
    public static <T> T reference(Supplier<T> run) {
        return in(false, 1, run);
    }

    /** The kernel modes of the matrix, as arguments {@code (boolean vectorized)}, for a kernel that runs on one thread. */
    public static final class Modes implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
            return modes().stream().map(Arguments::of);
        }
    }

    /** The thread counts of the matrix, as arguments {@code (int threads)}. */
    public static final class Threads implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
            return IntStream.of(THREADS).mapToObj(Arguments::of);
        }
    }
}
