package dev.descent.tensor;

import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Parallel;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The process-wide settings a test may change (kernel threads, vector or scalar kernels, storage
 * recycling), restored by construction rather than by a copied {@code @AfterEach}.
 *
 * <ul>
 *   <li>As a JUnit 5 extension, {@code @ExtendWith(GlobalSettings.class)}: a snapshot (and an
 *       empty storage pool) before each test, restored (and the pool emptied) after it, whatever
 *       the test did.</li>
 *   <li>As a scoped object, {@code try (var s = GlobalSettings.scoped(threads, vectorized)) {...}}:
 *       the settings for one block, the previous ones back on close; the unit a later parallel
 *       test run can serialize on.</li>
 * </ul>
 */
public final class GlobalSettings implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GlobalSettings.class);

    private final int threads;
    private final boolean vectorized;
    private final boolean recycling;

    /** For JUnit: the snapshot is taken in {@link #beforeEach}. */
    public GlobalSettings() {
        this(Parallel.threads(), KernelMode.vectorized(), StoragePool.enabled());
    }

    private GlobalSettings(int threads, boolean vectorized, boolean recycling) {
        this.threads = threads;
        this.vectorized = vectorized;
        this.recycling = recycling;
    }

    /** The current settings, restored by {@link #close()}. */
    public static GlobalSettings snapshot() {
        return new GlobalSettings();
    }

    /**
     * Sets kernel threads and the vector/scalar mode for a block; {@link #close()} restores what was
     * there before. Vector mode is only set where the Vector API is present.
     */
    public static GlobalSettings scoped(int threads, boolean vectorized) {
        GlobalSettings before = snapshot();
        Parallel.setThreads(threads);
        if (KernelMode.vectorAvailable()) KernelMode.setVectorized(vectorized);
        return before;
    }

    /** Puts the snapshot's settings back and empties the storage pool. */
    @Override
    public void close() {
        Parallel.setThreads(threads);
        if (KernelMode.vectorAvailable()) KernelMode.setVectorized(vectorized);
        StoragePool.setEnabled(recycling);
        StoragePool.clear();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(GlobalSettings.class, snapshot());
        // Every test starts with an empty pool, so what it takes back is what it released.
        StoragePool.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        context.getStore(NAMESPACE).remove(GlobalSettings.class, GlobalSettings.class).close();
    }
}
