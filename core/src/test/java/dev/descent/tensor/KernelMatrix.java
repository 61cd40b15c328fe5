package dev.descent.tensor;

import dev.descent.tensor.kernel.KernelMode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

/**
 * The vector/scalar x thread-count matrix, as arguments {@code (boolean vectorized, int threads)}
 * for {@code @ParameterizedTest @ArgumentsSource(KernelMatrix.class)}: scalar kernels, and vector
 * kernels where the Vector API is present, each on 1, 2 and 3 threads (3: a count that divides no
 * power of two, so uneven shares are covered). Pair it with {@code @ExtendWith(GlobalSettings.class)}
 * and set the mode with {@link GlobalSettings#scoped}.
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
}
