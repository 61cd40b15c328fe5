package dev.descent.data;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Feature scaling, fitted on the training data only and then applied unchanged to validation,
 * test and prediction data (fitting on all data would leak their statistics into training).
 * Its parameters are plain values so a run can save them and reload them for prediction.
 */
public sealed interface Scaler {
    /** Applies the scaling to a [N, features] tensor (or [N, ...] for {@link Divide}). */
    Tensor apply(Tensor x);

    /** Leaves features unchanged. */
    record None() implements Scaler {
        @Override
        public Tensor apply(Tensor x) {
            return x;
        }
    }

    /** x / c, e.g. pixels 0..16 divided by 16. */
    record Divide(double divisor) implements Scaler {
        public Divide {
            if (!(divisor != 0 && Double.isFinite(divisor))) throw new IllegalArgumentException("scale divide: divisor must be finite and non-zero, got " + divisor);
        }

        @Override
        public Tensor apply(Tensor x) {
            return x.div(divisor);
        }
    }

    /**
     * (x - mean) / std per feature, std the population standard deviation (as scikit-learn's
     * StandardScaler); a constant feature (std 0) is only centered.
     */
    record Standard(float[] mean, float[] std) implements Scaler {
        public static Standard fit(Tensor x) {
            float[] v = x.toFloatArray();
            int n = x.size(0), f = x.size(1);
            float[] mean = new float[f], std = new float[f];
            for (int j = 0; j < f; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += v[i * f + j];
                double m = s / n, ss = 0;
                for (int i = 0; i < n; i++) ss += (v[i * f + j] - m) * (v[i * f + j] - m);
                mean[j] = (float) m;
                double sd = Math.sqrt(ss / n);
                std[j] = sd == 0 ? 1f : (float) sd;
            }
            return new Standard(mean, std);
        }

        @Override
        public Tensor apply(Tensor x) {
            return affine(x, mean, std);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Standard s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "Standard[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
        }
    }

    /** (x - min) / (max - min) per feature into [0, 1]; a constant feature maps to 0. */
    record MinMax(float[] min, float[] max) implements Scaler {
        public static MinMax fit(Tensor x) {
            float[] v = x.toFloatArray();
            int n = x.size(0), f = x.size(1);
            float[] lo = new float[f], hi = new float[f];
            Arrays.fill(lo, Float.POSITIVE_INFINITY);
            Arrays.fill(hi, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    lo[j] = Math.min(lo[j], v[i * f + j]);
                    hi[j] = Math.max(hi[j], v[i * f + j]);
                }
            }
            return new MinMax(lo, hi);
        }

        @Override
        public Tensor apply(Tensor x) {
            float[] range = new float[min.length];
            for (int j = 0; j < range.length; j++) range[j] = max[j] > min[j] ? max[j] - min[j] : 1f;
            return affine(x, min, range);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MinMax m && Arrays.equals(min, m.min) && Arrays.equals(max, m.max);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(min) + Arrays.hashCode(max);
        }

        @Override
        public String toString() {
            return "MinMax[min=" + Arrays.toString(min) + ", max=" + Arrays.toString(max) + "]";
        }
    }

    private static Tensor affine(Tensor x, float[] shift, float[] divisor) {
        if (x.dim() != 2 || x.size(1) != shift.length) {
            throw new IllegalArgumentException("scaler fitted on " + shift.length + " features applied to shape " + Arrays.toString(x.shape()));
        }
        return x.sub(Tensor.vector(shift)).div(Tensor.vector(divisor));
    }
}
