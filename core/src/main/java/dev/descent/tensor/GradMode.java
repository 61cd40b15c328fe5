package dev.descent.tensor;

/**
 * Whether operations record the graph that {@link Tensor#backward()} walks. Recording is on by
 * default; {@link #noGrad()} turns it off for the current thread until the returned scope closes:
 *
 * <pre>{@code
 * try (var scope = GradMode.noGrad()) {
 *     Tensor logits = model.forward(x);   // no graph, no saved intermediates
 * }
 * }</pre>
 *
 * The flag is per thread, like PyTorch's {@code torch.no_grad()}, so evaluation on one thread
 * does not disturb training on another.
 */
public final class GradMode {
    // A subclass rather than ThreadLocal.withInitial(lambda): the first call of a training step
    // reads this flag, and a lambda's first use defines a class at run time (about a millisecond).
    private static final ThreadLocal<boolean[]> ENABLED = new ThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[] {true};
        }
    };

    private GradMode() {}

    /** True when new operations record their inputs for a later backward pass. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Disables recording until the returned scope is closed; scopes nest. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Enables recording (inside a no-grad scope) until the returned scope is closed. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /** Restores the previous mode when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
