package dev.descent.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps the values of one axis to a position from 0 (start) to 1 (end) and says where its ticks
 * go, for the charts drawn with Java2D. Three kinds, after the parameter kinds of a search space:
 * linear, logarithmic (log-uniform parameters: a learning rate from 1e-5 to 1e-1 gets four equal
 * decades, as the sampler draws them) and categorical (one evenly spaced slot per choice).
 *
 * <p>A numeric axis spans its data. When every value is the same (a parameter that took a single
 * value) the value sits in the middle with one tick, rather than dividing by zero.
 */
sealed interface Scale {
    /** A tick: where (0 to 1) and what it says. */
    record Tick(double position, String label) {}

    /** Position of {@code v} from 0 to 1 (outside that range for values outside the axis). */
    double position(double v);

    List<Tick> ticks();

    /** Linear from {@code low} to {@code high}. */
    record Linear(double low, double high) implements Scale {
        @Override
        public double position(double v) {
            return high > low ? (v - low) / (high - low) : 0.5;
        }

        @Override
        public List<Tick> ticks() {
            return ticks(0);
        }

        /** Ticks at least {@code minStep} apart: 1 keeps a trial-number axis on whole numbers. */
        public List<Tick> ticks(double minStep) {
            if (!(high > low)) return List.of(new Tick(0.5, compact(low)));
            double step = Math.max(minStep, niceStep((high - low) / 5));
            List<Tick> ticks = new ArrayList<>();
            for (long k = (long) Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) {
                double v = k * step;
                ticks.add(new Tick(position(v), label(v, step)));
            }
            return ticks;
        }
    }

    /** Logarithmic from {@code low} to {@code high}, both positive. */
    record Log(double low, double high) implements Scale {
        public Log {
            if (!(low > 0)) throw new IllegalArgumentException("a log axis needs positive values, got " + low);
        }

        @Override
        public double position(double v) {
            return high > low ? Math.log(v / low) / Math.log(high / low) : 0.5;
        }

        /** Powers of ten inside the range; where fewer than two fit, 1-2-5 steps; where none fit, the ends. */
        @Override
        public List<Tick> ticks() {
            if (!(high > low)) return List.of(new Tick(0.5, compact(low)));
            int first = (int) Math.ceil(Math.log10(low) - 1e-9), last = (int) Math.floor(Math.log10(high) + 1e-9);
            List<Tick> ticks = new ArrayList<>();
            if (last - first >= 1) {
                int every = (last - first) / 8 + 1;   // at most about 8 labels
                for (int e = first; e <= last; e += every) ticks.add(new Tick(position(Math.pow(10, e)), compact(Math.pow(10, e))));
                return ticks;
            }
            for (int e = first - 1; e <= last; e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = m * Math.pow(10, e);
                    if (v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9)) ticks.add(new Tick(position(v), compact(v)));
                }
            }
            if (ticks.size() < 2) return List.of(new Tick(0, compact(low)), new Tick(1, compact(high)));
            return ticks;
        }
    }

    /** One slot per label, category {@code i} at {@code (i + 1/2) / k}. */
    record Categorical(List<String> labels) implements Scale {
        public Categorical {
            labels = List.copyOf(labels);
            if (labels.isEmpty()) throw new IllegalArgumentException("a categorical axis needs at least one label");
        }

        @Override
        public double position(double index) {
            return (index + 0.5) / labels.size();
        }

        @Override
        public List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) ticks.add(new Tick(position(i), labels.get(i)));
            return ticks;
        }
    }

    /** The linear axis spanning the finite values (0 to 1 when there are none). */
    static Linear linearOver(double[] values) {
        double[] r = range(values);
        return r == null ? new Linear(0, 1) : new Linear(r[0], r[1]);
    }

    /** The log axis spanning the finite positive values (1 to 10 when there are none). */
    static Log logOver(double[] values) {
        double[] r = range(values);
        return r == null || r[0] <= 0 ? new Log(1, 10) : new Log(r[0], r[1]);
    }

    private static double[] range(double[] values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}-ish: the usual round tick spacing. */
    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / mag;
        return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
    }

    /** {@code v} with as many decimals as a spacing of {@code step} needs; scientific when tiny or huge. */
    static String label(double v, double step) {
        if (Math.abs(v) < step * 1e-6) return "0";
        double size = Math.max(Math.abs(v), step);
        if (size >= 1e5 || size < 1e-3) return compact(v);
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Up to three significant digits, trailing zeros dropped: 0.001, 1e-05 → "1e-5", 128, 3.16e+04 → "3.16e4". */
    static String compact(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            String[] parts = String.format(Locale.ROOT, "%.2e", v).split("e");
            return trimZeros(parts[0]) + "e" + Integer.parseInt(parts[1]);
        }
        return trimZeros(String.format(Locale.ROOT, "%.3g", v).contains("e") ? String.valueOf(v) : String.format(Locale.ROOT, "%.3g", v));
    }

    private static String trimZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
