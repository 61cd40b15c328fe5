package dev.descent.optim;

/**
 * Gradient accumulation: {@code every} micro-batches count as one optimizer step.
 *
 * <p>Use: call {@code loss.backward(); optimizer.step(); optimizer.zeroGrad();} after every
 * micro-batch, as without accumulation. Gradients add up in each {@code p.grad()} across the
 * backward calls; {@link Optimizer#step()} applies an update (and returns true) only on every
 * {@code every}-th call, and {@link Optimizer#zeroGrad()} clears the gradients only after an
 * update. The step count, and with it the learning-rate schedule, counts updates, not
 * micro-batches.
 *
 * <p>With {@code mean} (the default, {@link #every}) the summed gradient is divided by
 * {@code every} before clipping and the update, which is what a PyTorch user gets by calling
 * {@code (loss / k).backward()} per micro-batch: the gradient of the mean loss over the large
 * batch. The two agree to float32 rounding, and bit for bit when {@code every} is a power of two.
 * With {@link #sum} the gradients are summed and not divided.
 *
 * @param every micro-batches per update, {@code >= 1}
 * @param mean divide the accumulated gradient by {@code every}
 */
public record Accumulation(int every, boolean mean) {
    /** No accumulation: every call to step() updates. */
    public static final Accumulation NONE = new Accumulation(1, true);

    public Accumulation {
        if (every < 1) throw new IllegalArgumentException("Invalid accumulation every: " + every + " (must be >= 1)");
    }

    /** Average the gradients of {@code k} micro-batches into one update. */
    public static Accumulation every(int k) {
        return new Accumulation(k, true);
    }

    /** Sum the gradients of {@code k} micro-batches into one update. */
    public static Accumulation sum(int k) {
        return new Accumulation(k, false);
    }
}
