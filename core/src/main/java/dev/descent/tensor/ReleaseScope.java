package dev.descent.tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A stretch of work on one thread (a training step) after which tensors registered during it are
 * released ({@link Tensor#release()}), so that the next stretch reuses their storage instead of
 * allocating afresh. The Trainer opens one around each step and registers what it knows dies
 * with the step (the batch); a {@code Sequential} registers the activations passed between its
 * built-in layers, which only the step's autograd graph can reach, and that graph is dropped when
 * the step ends.
 *
 * <p>Why: the garbage collector sizes its heap to the allocation rate. A CNN step that allocates
 * its activations afresh (about 20 MB) made the JVM hold two to four times the memory PyTorch
 * does, which frees each buffer when its reference count drops.
 *
 * <p>Registering outside a scope does nothing, so code that registers is correct whether or not
 * someone opened one. Scopes nest; each releases only what was registered while it was the
 * innermost. Each storage array is released once however many tensors share it.
 *
 * <pre>{@code
 * try (ReleaseScope step = ReleaseScope.open()) {
 *     ReleaseScope.releaseAtClose(batch.features());
 *     Tensor loss = lossFn.apply(model.forward(batch.features()), batch.targets());
 *     loss.backward();
 *     optimizer.step();
 * } // the batch and the model's intermediate activations go back for the next step
 * }</pre>
 */
public final class ReleaseScope implements AutoCloseable {
    private static final ThreadLocal<ReleaseScope> CURRENT = new ThreadLocal<>();

    private final ReleaseScope outer;
    private final Thread owner = Thread.currentThread();
    /** Storage arrays to give back, each once however many registered tensors share it. */
    private final Set<float[]> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private ReleaseScope(ReleaseScope outer) {
        this.outer = outer;
    }

    /** Opens a scope on the calling thread; close it on the same thread. */
    public static ReleaseScope open() {
        ReleaseScope s = new ReleaseScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Whether a scope is open on the calling thread (so registering has an effect). */
    public static boolean isOpen() {
        return CURRENT.get() != null;
    }

    /**
     * Releases t's storage when the innermost open scope closes; does nothing when none is open,
     * or when t is not a whole float32 storage (a view) that release could give back.
     */
    public static void releaseAtClose(Tensor t) {
        ReleaseScope s = CURRENT.get();
        if (s != null && t != null && t.isWholeF32()) s.held.add(t.f);
    }

    /** Releases everything registered in this scope and makes the enclosing scope current again. */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner || CURRENT.get() != this) {
            throw new IllegalStateException("ReleaseScope closed on another thread or out of order");
        }
        closed = true;
        CURRENT.set(outer);
        for (float[] a : held) StoragePool.give(a);
        held.clear();
    }
}
