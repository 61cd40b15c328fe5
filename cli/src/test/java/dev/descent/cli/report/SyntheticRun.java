package dev.descent.cli.report;

import dev.descent.train.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Writes a plausible run directory (metrics log, confusion matrix, config) for the tests. */
final class SyntheticRun {
    static final String CONFIG = "model:\n  layers: [64, 32]\noptimizer: {name: adamw, lr: 3e-3}\n# a <comment> & more\n";

    private SyntheticRun() {}

    /**
     * steps optimizer steps over epochs epochs (steps divisible by epochs), an evaluation every
     * evalEvery steps (0: no validation at all), grad_norm when clipped.
     */
    static List<String> metrics(int steps, int epochs, int evalEvery, boolean clipped) {
        Random rnd = new Random(42);
        List<String> lines = new ArrayList<>();
        int perEpoch = steps / epochs;
        double epochLoss = 0;
        for (int s = 1; s <= steps; s++) {
            int epoch = (s - 1) / perEpoch + 1;   // counted from 1, as the trainer writes it
            double loss = 2.3 * Math.exp(-s / 80.0) + 0.15 + 0.08 * rnd.nextGaussian();
            double lr = 3e-3 * 0.5 * (1 + Math.cos(Math.PI * s / steps));
            epochLoss += loss;
            lines.add(String.format(Locale.ROOT, "{\"kind\":\"step\",\"step\":%d,\"epoch\":%d,\"loss\":%s,\"lr\":%s,\"grad_norm\":%s,\"seconds\":%s}",
                    s, epoch, loss, lr, clipped ? Double.toString(1 + 3 * Math.exp(-s / 50.0) + 0.2 * rnd.nextDouble()) : "null", s * 0.05));
            if (evalEvery > 0 && s % evalEvery == 0) {
                lines.add(String.format(Locale.ROOT, "{\"kind\":\"eval\",\"step\":%d,\"epoch\":%d,\"val_loss\":%s,\"val_accuracy\":%s,\"val_f1\":%s,\"val_mse\":%s}",
                        s, epoch, valLoss(s), accuracy(s), accuracy(s) - 0.03, 4 * valLoss(s)));
            }
            if (s % perEpoch == 0) {
                String val = evalEvery > 0
                        ? String.format(Locale.ROOT, ",\"val_loss\":%s,\"val_accuracy\":%s,\"val_f1\":%s,\"val_mse\":%s", valLoss(s), accuracy(s), accuracy(s) - 0.03, 4 * valLoss(s))
                        : "";
                lines.add(String.format(Locale.ROOT, "{\"kind\":\"epoch\",\"epoch\":%d,\"step\":%d,\"loss\":%s%s,\"seconds\":%s}",
                        epoch, s, epochLoss / perEpoch, val, perEpoch * 0.05));
                epochLoss = 0;
            }
        }
        lines.add("{\"kind\":\"end\",\"step\":" + steps + ",\"reason\":\"completed\"}");
        return lines;
    }

    static double valLoss(int step) {
        return 2.0 * Math.exp(-step / 90.0) + 0.25;
    }

    static double accuracy(int step) {
        return 0.95 - 0.6 * Math.exp(-step / 70.0);
    }

    /** A 3-class confusion matrix with a large diagonal and one empty cell (row 0, column 2). */
    static final String CONFUSION = "{\"labels\": [\"cat\", \"dog\", \"bird\"], \"counts\": [[95, 5, 0], [4, 88, 8], [2, 11, 87]]}";

    /** The standard test run: 300 steps, 3 epochs, validation every 50 steps, clipping, all optional files. */
    static Path full(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(RunFiles.METRICS), metrics(300, 3, 50, true));
        Files.writeString(dir.resolve(RunFiles.CONFUSION), CONFUSION);
        Files.writeString(dir.resolve(RunFiles.CONFIG), CONFIG);
        return dir;
    }
}
