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
 * Its state (v, m) lives on the server, across rounds; computed in double, stored in float.
 */
public final class ServerOptimizer {
    private enum Kind { FEDAVG, FEDAVGM, FEDADAM }

    private final Kind kind;
    private final double lr, beta1, beta2, tau;
    private double[] m, v;

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
            m = new double[n];
            v = new double[n];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double delta = (double) average[i] - global[i];
            if (kind == Kind.FEDAVGM) {
                m[i] = beta1 * m[i] + delta;
                out[i] = (float) (global[i] + lr * m[i]);
            } else {
                m[i] = beta1 * m[i] + (1 - beta1) * delta;
                v[i] = beta2 * v[i] + (1 - beta2) * delta * delta;
                out[i] = (float) (global[i] + lr * m[i] / (Math.sqrt(v[i]) + tau));
            }
        }
        return out;
    }
}
