package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tensor.release, Tensor.empty and ReleaseScope: what is registered comes back once, at close,
 * and only whole storage; nothing outside a scope and nothing of an enclosing scope moves early.
 */
@ExtendWith(GlobalSettings.class)
class ReleaseScopeTest {
    private static final int N = StoragePool.MIN_LENGTH * 2; // pooled size

    /** These tests are about recycling: on, whatever -Ddescent.recycle says (GlobalSettings puts it back). */
    @BeforeEach
    void recycle() {
        StoragePool.setEnabled(true);
    }

    @Test
    void releasedStorageBacksTheNextEmptyTensorOfThatSize() {
        Tensor a = Tensor.ones(N);
        a.release();
        Tensor b = Tensor.empty(N);
        assertTrue(b.sharesStorage(a), "empty reuses the released array as it is");
        assertEquals(1f, b.data()[0], "empty does not clear it (torch.empty semantics)");
        assertFalse(Tensor.empty(N).sharesStorage(a), "handed out once");
        assertThrows(ShapeException.class, () -> Tensor.empty(2, -1));
    }

    @Test
    void viewsSmallTensorsAndFloat64AreNeverReleased() {
        Tensor whole = Tensor.zeros(2, N / 2);
        whole.narrow(0, 1, 1).release();
        Tensor.zeros(StoragePool.MIN_LENGTH - 1).release();
        Tensor.zeros(DType.F64, N).release();
        assertEquals(0, StoragePool.pooledFloats());
        whole.t().release(); // a transposed view is not contiguous
        assertEquals(0, StoragePool.pooledFloats());
        whole.reshape(N).release(); // a reshape of the whole array covers all of it
        assertEquals(N, StoragePool.pooledFloats());
    }

    @Test
    void registeringOutsideAScopeDoesNothing() {
        assertFalse(ReleaseScope.isOpen());
        ReleaseScope.releaseAtClose(Tensor.zeros(N));
        assertEquals(0, StoragePool.pooledFloats());
    }

    @Test
    void aScopeReleasesWhatWasRegisteredOnceAtClose() {
        Tensor a = Tensor.zeros(N), b = Tensor.zeros(N);
        try (ReleaseScope scope = ReleaseScope.open()) {
            assertTrue(ReleaseScope.isOpen());
            ReleaseScope.releaseAtClose(a);
            ReleaseScope.releaseAtClose(a.reshape(2, N / 2)); // same storage: released once
            ReleaseScope.releaseAtClose(b.narrow(0, 0, N / 2)); // a view: ignored
            assertEquals(0, StoragePool.pooledFloats(), "nothing moves before close");
        }
        assertFalse(ReleaseScope.isOpen());
        assertEquals(N, StoragePool.pooledFloats());
        assertTrue(Tensor.empty(N).sharesStorage(a));
        assertEquals(0, StoragePool.pooledFloats());
    }

    @Test
    void nestedScopesReleaseOnlyTheirOwnRegistrations() {
        Tensor outer = Tensor.zeros(N), inner = Tensor.zeros(N + 1);
        try (ReleaseScope o = ReleaseScope.open()) {
            ReleaseScope.releaseAtClose(outer);
            try (ReleaseScope i = ReleaseScope.open()) {
                ReleaseScope.releaseAtClose(inner);
            }
            assertEquals(N + 1, StoragePool.pooledFloats(), "the inner scope gave back only its own");
            assertTrue(ReleaseScope.isOpen(), "the outer scope is current again");
        }
        assertEquals(2L * N + 1, StoragePool.pooledFloats());
    }

    @Test
    void aScopeMustBeClosedOnItsThreadAndInOrder() throws InterruptedException {
        ReleaseScope outer = ReleaseScope.open();
        ReleaseScope inner = ReleaseScope.open();
        assertThrows(IllegalStateException.class, outer::close, "closing out of order");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                inner.close();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(failure.get() instanceof IllegalStateException, "closing on another thread");
        inner.close();
        outer.close();
        assertFalse(ReleaseScope.isOpen());
    }

    @Test
    void sharesStorageSeesViewsButNotCopies() {
        Tensor a = Tensor.arange(12).reshape(3, 4);
        assertTrue(a.sharesStorage(a.t()));
        assertTrue(a.sharesStorage(a.narrow(0, 1, 1)));
        assertFalse(a.sharesStorage(a.contiguousCopy()));
        assertFalse(a.sharesStorage(a.toF64()));
        assertArrayEquals(a.toFloatArray(), a.contiguousCopy().toFloatArray());
    }
}
