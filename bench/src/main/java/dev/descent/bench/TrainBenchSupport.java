package dev.descent.bench;

import dev.descent.data.Idx;
import dev.descent.data.TensorDataset;
import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.kernel.Parallel;
import dev.descent.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the training benchmarks (MlpTrainBench, CnnTrainBench, TinyTrainBench) share: argument
 * parsing, Fashion-MNIST loading, accuracy, peak RSS and the one-line result format that
 * scripts/bench_train_table.py folds into a table beside scripts/bench_train_torch.py's lines.
 *
 * <p>Result lines are {@code key=value} words after a leading tag, for example
 * {@code result bench=mlp impl=descent threads=1 sec_per_epoch_median=1.23 accuracy=0.8771 peak_rss_mb=412}.
 */
final class TrainBenchSupport {
    private TrainBenchSupport() {}

    /**
     * Parses {@code --name value} pairs; only the names in {@code defaults} are accepted, and the
     * flag {@code --quick} (value "true" under "quick", "false" when absent).
     */
    static Map<String, String> args(String[] args, Map<String, String> defaults) {
        Map<String, String> out = new LinkedHashMap<>(defaults);
        out.put("quick", "false");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                out.put("quick", "true");
                continue;
            }
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !defaults.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete argument " + args[i] + " (expected --"
                        + String.join(" V, --", defaults.keySet()) + " V, --quick)");
            }
            out.put(name, args[++i]);
        }
        return out;
    }

    /**
     * Whether {@code --quick} was given: a smoke run that only shows the benchmark still starts and
     * finishes (CI runs every bench so), with a fraction of the work and no meaningful timing.
     */
    static boolean quick(Map<String, String> a) {
        return Boolean.parseBoolean(a.get("quick"));
    }

    /** Images a {@code --quick} run trains on, and tests on: one batch. */
    static final int QUICK_IMAGES = 32;

    /** Pins Descent's pool and says so; called before any tensor work so nothing runs on a default pool. */
    static int threads(Map<String, String> a) {
        int t = Integer.parseInt(a.get("threads"));
        Parallel.setThreads(t);
        return t;
    }

    /**
     * Fashion-MNIST's training split (its first {@code limit} images, 0 = all) and test split; under
     * {@code --quick}, the test split's first {@link #QUICK_IMAGES} images to train on and the next
     * ones to test on (the test file alone: decompressing the training file takes seconds).
     */
    static TensorDataset[] fashion(Path dir, int limit, boolean quick) {
        TensorDataset test = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        if (quick) return new TensorDataset[] {test.range(0, QUICK_IMAGES), test.range(QUICK_IMAGES, 2 * QUICK_IMAGES)};
        TensorDataset train = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        return new TensorDataset[] {limit > 0 && limit < train.size() ? train.range(0, limit) : train, test};
    }

    /** The same rows with every image flattened to one vector of rows*cols pixels (the MLP's input). */
    static TensorDataset flattened(TensorDataset d) {
        return new TensorDataset(d.features().reshape(d.size(), d.features().numel() / d.size()).contiguous(), d.targets());
    }

    /** Fraction of rows whose largest output is the target class; evaluation mode, no recording. */
    static double accuracy(Module model, TensorDataset test) {
        model.eval();
        Tensor out = Trainer.predict(model, test.features());
        model.train();
        int[] predicted = out.argmaxIndices(1);
        double[] target = test.targets().toDoubleArray();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == (int) target[i]) correct++;
        return correct / (double) predicted.length;
    }

    /**
     * Peak resident set size of this process in MiB (VmHWM from /proc/self/status), or -1 where
     * there is no procfs. The JVM's heap counts only as far as it was touched, as for any process.
     */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Median of values[from..], the epochs after the first (which pays for the JIT and page faults). */
    static double medianFrom(List<Double> values, int from) {
        List<Double> tail = new ArrayList<>(values.subList(Math.min(from, values.size() - 1), values.size()));
        double[] v = tail.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Prints one machine-readable line: the tag, then key=value words in the order given. */
    static void line(String tag, Object... keyValues) {
        StringBuilder b = new StringBuilder(tag);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            String s = v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(v);
            b.append(' ').append(keyValues[i]).append('=').append(s);
        }
        System.out.println(b);
        System.out.flush();
    }

    static String list(List<Double> values) {
        return String.join(",", values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
    }

    static Map<String, String> defaults(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

}
