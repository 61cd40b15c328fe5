package dev.descent.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress: step, epoch, loss, learning rate, examples per second and the time
 * left. On a terminal one line is redrawn in place (carriage return); otherwise (a file, a CI log)
 * a plain line is printed every {@code plainEvery} steps and at each epoch end, so logs stay
 * readable.
 */
final class Progress implements Callback {
    private final PrintStream out;
    private final boolean terminal;
    private final int plainEvery;
    private long totalSteps;
    private long startStep;
    private double startSeconds;
    private long examples;
    private double lastDraw = -1;

    Progress(PrintStream out, boolean terminal, int plainEvery) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = Math.max(1, plainEvery);
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        switch (event) {
            case TrainingEvent.Start s -> {
                long byEpochs = (long) s.epochs() * s.batchesPerEpoch();
                totalSteps = Math.min(byEpochs, s.maxSteps());
                startStep = s.startStep();
                startSeconds = s.startSeconds();
            }
            case TrainingEvent.Step s -> {
                examples += s.examples();
                boolean due = terminal ? s.seconds() - lastDraw >= 0.1 || s.step() == totalSteps : s.step() % plainEvery == 0;
                if (!due) return;
                lastDraw = s.seconds();
                double rate = examples / Math.max(1e-9, s.seconds() - startSeconds);
                double stepsPerSecond = (s.step() - startStep) / Math.max(1e-9, s.seconds() - startSeconds);
                double eta = (totalSteps - s.step()) / Math.max(1e-9, stepsPerSecond);
                String line = String.format(Locale.ROOT, "step %d/%d  epoch %d  loss %.4f  lr %.3g  %.0f ex/s  eta %s",
                        s.step(), totalSteps, s.epoch() + 1, s.loss(), s.lr(), rate, duration(eta));
                if (terminal) out.print("\r" + line + "   ");
                else out.println(line);
                out.flush();
            }
            case TrainingEvent.EpochEnd e -> {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d  ", e.epoch() + 1));
                e.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s %.4f  ", k, v)));
                sb.append(String.format(Locale.ROOT, "(%s)", duration(e.seconds())));
                out.println((terminal ? "\r" : "") + sb.toString().trim() + (terminal ? "          " : ""));
            }
            case TrainingEvent.End e -> {
                if (!e.reason().equals("completed")) out.println((terminal ? "\n" : "") + e.reason());
            }
            default -> { }
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
