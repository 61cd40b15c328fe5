package dev.descent.tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step of work (a training step: forward, loss, backward, optimizer update) that is run eagerly
 * once, captured, and then replayed on storage planned once: every float32 buffer the step
 * allocates comes from its plan instead of the heap, the pool or a zero fill, so a steady loop
 * allocates nothing. What the step computes is not touched: the same code runs the same kernels
 * in the same order, so replayed steps have the bits of eager ones (random draws included, since
 * they come from the same generators).
 *
 * <pre>{@code
 * CapturedStep captured = CapturedStep.create();
 * for (Batch b : batches) {
 *     optimizer.zeroGrad();                      // the previous step's gradients are dead now
 *     try (var s = captured.begin(CapturedStep.signature(b.features(), b.targets()))) {
 *         loss.apply(model.forward(b.features()), b.targets()).backward();
 *         optimizer.step();
 *     }
 * }
 * }</pre>
 *
 * <h2>Capture, plan, replay</h2>
 * The first step with a given {@linkplain #signature signature} runs eagerly and records each
 * allocation (its length, in order) and each proven death (the autograd engine hands back a
 * gradient once its rule has run; {@link Tensor#release()}). {@link BufferPlan} then gives each
 * allocation a buffer, sharing one between allocations whose lifetimes do not overlap. Later
 * steps with the same signature replay it: the k-th allocation gets its planned buffer.
 *
 * <h2>Guards and fallback</h2>
 * The signature (shapes, dtypes and modes of what goes in) picks the plan; a step with a new
 * signature runs eagerly and is captured (up to {@link #MAX_PLANS} plans are kept, so an epoch's
 * shorter last batch has its own). While replaying, each allocation is checked against the plan
 * (same length, buffer free): a step that allocates differently finishes eagerly, its plan is
 * dropped, and the next step captures afresh. {@link #lastMode()} and {@link #lastReason()} say
 * what the last step did and why.
 *
 * <h2>The contract</h2>
 * Nothing that a step allocates may be read after the next step with the same plan begins, except
 * what is proven dead before it: the caller clears parameter gradients (which the step left in
 * {@code grad()}) before each step, as PyTorch's {@code zero_grad(set_to_none=False)} reuses them.
 * A value wanted beyond the step is copied out ({@code item()}, {@code copy()}). Steps do not nest;
 * one captured step per thread at a time. Allocations on other threads are not planned.
 *
 * <p>{@link #close()} gives the buffers up.
 */
public final class CapturedStep implements AutoCloseable {
    /** Plans kept at once (signatures seen most recently). */
    public static final int MAX_PLANS = 4;

    /** What a step did. */
    public enum Mode {
        /** Ran eagerly and recorded its allocations: the next step with its signature replays. */
        CAPTURED,
        /** Ran on its plan's buffers. */
        REPLAYED,
        /** Left its plan part-way (it allocated differently) and finished eagerly; the plan is dropped. */
        DIVERGED
    }

    private final Map<String, BufferPlan> plans = new LinkedHashMap<>(8, 0.75f, true);
    private String lastSignature;
    private Mode lastMode;
    private String lastReason;
    private long replays, captures;
    private boolean closed;

    private CapturedStep() {}

    public static CapturedStep create() {
        return new CapturedStep();
    }

    /**
     * A signature of the given tensors' dtypes and shapes, e.g. {@code "F32[128, 784] F32[128]"}:
     * a step whose signature matches a plan's replays it.
     */
    public static String signature(Tensor... tensors) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : tensors) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(t.dtype).append(Shapes.format(t.shape));
        }
        return sb.toString();
    }

    /**
     * Starts a step with this signature on the calling thread: replaying its plan, or capturing
     * one. Close the returned session when the step has finished (try-with-resources).
     */
    public Session begin(String signature) {
        if (closed) throw new IllegalStateException("begin: the captured step is closed");
        BufferPlan plan = plans.get(signature);
        String reason = null;
        if (plan == null) {
            reason = lastSignature == null ? "first step: captured"
                    : lastSignature.equals(signature) ? "captured again after the last step diverged"
                    : "the step's signature " + signature + " differs from the last one, " + lastSignature + ": ran eagerly and captured it";
        }
        lastSignature = signature;
        return new Session(signature, plan, plan == null ? StepSession.capture() : StepSession.replay(plan), reason);
    }

    /** Whether a captured step is running on the calling thread (steps do not nest). */
    public static boolean isRunning() {
        return StepSession.isActive();
    }

    /** What the last finished step did (null before any). */
    public Mode lastMode() {
        return lastMode;
    }

    /** Why the last finished step did not replay (null when it did). */
    public String lastReason() {
        return lastReason;
    }

    /** Steps replayed so far. */
    public long replays() {
        return replays;
    }

    /** Steps captured so far. */
    public long captures() {
        return captures;
    }

    /** Buffers held by the plans (for tests and diagnostics). */
    public int bufferCount() {
        int n = 0;
        for (BufferPlan p : plans.values()) n += p.bufferCount();
        return n;
    }

    /** Allocations the plans cover (for tests: with {@link #bufferCount}, how much sharing the plans found). */
    int plannedAllocations() {
        int n = 0;
        for (BufferPlan p : plans.values()) n += p.allocations();
        return n;
    }

    /** Drops every plan; their buffers become ordinary garbage. */
    @Override
    public void close() {
        for (BufferPlan p : plans.values()) StepSession.disown(p.buffers());
        plans.clear();
        closed = true;
    }

    /** One step in progress. */
    public final class Session implements AutoCloseable {
        private final String signature;
        private final BufferPlan plan;
        private final StepSession session;
        private final String reason;
        private boolean ended;

        private Session(String signature, BufferPlan plan, StepSession session, String reason) {
            this.signature = signature;
            this.plan = plan;
            this.session = session;
            this.reason = reason;
        }

        /** Whether this step replays a plan (rather than capturing one). */
        public boolean replaying() {
            return plan != null;
        }

        @Override
        public void close() {
            if (ended) return;
            ended = true;
            BufferPlan made = session.end();
            if (plan == null) {
                plans.put(signature, made);
                StepSession.own(made.buffers());
                while (plans.size() > MAX_PLANS) {
                    var eldest = plans.entrySet().iterator().next();
                    StepSession.disown(eldest.getValue().buffers());
                    plans.remove(eldest.getKey());
                }
                captures++;
                lastMode = Mode.CAPTURED;
                lastReason = reason;
            } else if (session.divergence() != null) {
                plans.remove(signature);
                StepSession.disown(plan.buffers());
                lastMode = Mode.DIVERGED;
                lastReason = "replay left its plan: " + session.divergence() + "; finished eagerly, will capture again";
            } else {
                replays++;
                lastMode = Mode.REPLAYED;
                lastReason = null;
            }
        }
    }

    @Override
    public String toString() {
        return "CapturedStep(plans=" + plans.size() + ", captures=" + captures + ", replays=" + replays + ", buffers="
                + Arrays.toString(plans.values().stream().mapToInt(BufferPlan::bufferCount).toArray()) + ")";
    }
}
