package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** The scoped settings take effect inside their block and are back after it; the matrix covers every mode and thread count. */
@ExtendWith(GlobalSettings.class)
class GlobalSettingsTest {
    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void aScopeSetsModeAndThreadsAndRestoresThem(boolean vectorized, int threads) {
        int threadsBefore = Parallel.threads();
        boolean modeBefore = KernelMode.vectorized();
        try (var s = GlobalSettings.scoped(threads, vectorized)) {
            assertEquals(threads, Parallel.threads());
            assertEquals(vectorized, KernelMode.vectorized());
        }
        assertEquals(threadsBefore, Parallel.threads());
        assertEquals(modeBefore, KernelMode.vectorized());
    }

    @Test
    void theMatrixIsScalarAndVectorTimesOneTwoThreeThreads() {
        long cases = new KernelMatrix().provideArguments(null).count();
        assertEquals((KernelMode.vectorAvailable() ? 2 : 1) * 3, cases);
    }

    @Test
    void aSnapshotPutsBackRecyclingAndEmptiesThePool() {
        boolean before = StoragePool.enabled();
        try (var s = GlobalSettings.snapshot()) {
            StoragePool.setEnabled(!before);
        }
        assertEquals(before, StoragePool.enabled());
    }
}
