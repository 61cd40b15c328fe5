package dev.descent.fed;

/**
 * How the server turns a round's average into the next global state (Reddi et al., "Adaptive
 * Federated Optimization", ICLR 2021, Algorithm 2). With the average {@code a} and the current
 * global {@code w}, the pseudo-gradient is {@code delta = a - w}:
 *
 * <ul>
 *   <li>{@link #fedAvg}: {@code w = a} (McMahan et al. 2017);
 *   <li>{@link #fedAvgM}: {@code v = momentum v + delta; w = w + lr v} (Hsu et al. 2019);
 *   <li>{@link #fedAdam}: {@code m = b1 m + (1 - b1) delta; v = b2 v + (1 - b2) delta^2;
 *       w = w + lr m / (sqrt(v) + tau)}, without bias correction, as in the paper.
 * </ul>
 *
 * Its state (v, m) lives on the server, across rounds; computed in double, stored in float32
 * (as Flower keeps it, in the parameters' float32 arrays), so that a checkpoint holds it exactly
 * ({@link #state()}, {@link #restore}).
 */
public final class ServerOptimizer {
    private enum Kind { FEDAVG, FEDAVGM, FEDADAM }

    private final Kind kind;
    private final double lr, beta1, beta2, tau;
    private float[] m, v;

    private ServerOptimizer(Kind kind, double lr, double beta1, double beta2, double tau) {
        if (!(lr > 0)) throw new IllegalArgumentException("server lr must be positive, got " + lr);
        this.kind = kind;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.tau = tau;
    }

    public static ServerOptimizer fedAvg() {
        return new ServerOptimizer(Kind.FEDAVG, 1, 0, 0, 0);
    }

    public static ServerOptimizer fedAvgM(double lr, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("server momentum must be in [0, 1), got " + momentum);
        return new ServerOptimizer(Kind.FEDAVGM, lr, momentum, 0, 0);
    }

    public static ServerOptimizer fedAdam(double lr, double beta1, double beta2, double tau) {
        if (!(tau > 0)) throw new IllegalArgumentException("server tau must be positive, got " + tau);
        return new ServerOptimizer(Kind.FEDADAM, lr, beta1, beta2, tau);
    }

    /** The next global state from the current one and the round's average (neither is changed). */
    public float[] step(float[] global, float[] average) {
        if (kind == Kind.FEDAVG) return average.clone();
        int n = global.length;
        if (m == null) {
            m = new float[n];
            v = new float[n];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double delta = (double) average[i] - global[i];
            if (kind == Kind.FEDAVGM) {
                m[i] = (float) (beta1 * m[i] + delta);
                out[i] = (float) (global[i] + lr * m[i]);
            } else {
                double mi = beta1 * m[i] + (1 - beta1) * delta, vi = beta2 * v[i] + (1 - beta2) * delta * delta;
                m[i] = (float) mi;
                v[i] = (float) vi;
                out[i] = (float) (global[i] + lr * m[i] / (Math.sqrt(v[i]) + tau));
            }
        }
        return out;
    }

    /**
     * The state carried from round to round, for a checkpoint: "m" (momentum, or Adam's first
     * moment) and "v" (Adam's second moment), copies; empty before the first step and for FedAvg.
     */
    public java.util.Map<String, float[]> state() {
        java.util.Map<String, float[]> out = new java.util.TreeMap<>();
        if (m != null) out.put("m", m.clone());
        if (v != null && kind == Kind.FEDADAM) out.put("v", v.clone());
        return out;
    }

    /** Puts back a {@link #state()} (an empty one: before the first step). */
    public void restore(java.util.Map<String, float[]> state) {
        float[] sm = state.get("m"), sv = state.get("v");
        if (sm == null) {
            m = v = null;
            return;
        }
        if (kind == Kind.FEDAVG || (kind == Kind.FEDADAM) != (sv != null) || (sv != null && sv.length != sm.length)) {
            throw new IllegalArgumentException("server optimizer state " + state.keySet() + " does not fit " + kind.name().toLowerCase());
        }
        m = sm.clone();
        v = sv != null ? sv.clone() : new float[sm.length];
    }
}
