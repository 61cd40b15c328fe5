package dev.descent.train;

import dev.descent.io.JsonStrings;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Appends one JSON object per line (JSON Lines) to a file: every {@code logEvery}-th step
 * ({"kind":"step", step, epoch, loss, lr, grad_norm, seconds}), every evaluation and every epoch
 * end, so a run can be plotted or compared afterwards. Non-finite numbers are written as
 * {@code null}, since JSON has no NaN. Epochs count from 1 here, as on the console and in the
 * report (a person reads this file too): the epoch a step or evaluation belongs to, the epoch an
 * epoch record ends; {@link TrainingEvent}'s epochs are 0-based indices.
 *
 * <p>Lines reach the file at every epoch end and evaluation, when training ends, and otherwise at
 * least once a second (for a person following the file), not after
 * each step line: a write to the file per step cost more than a small model's whole step. Every
 * line up to an epoch's end is in the file before that epoch's checkpoint is written (the writer
 * comes after this log among a run's callbacks), which is what a resume after kill -9 cuts the log
 * back to.
 */
final class MetricsLog implements Callback {
    /** The longest a written line waits in memory while training runs (1 s). */
    static final long FLUSH_NANOS = 1_000_000_000L;

    private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    private final Path file;
    private final int logEvery;
    /**
     * Bytes, not characters: a line is encoded in one step (an ASCII string's bytes are a copy),
     * where a Writer's encoder went through it character by character and cost as much as the
     * rest of a tiny model's step.
     */
    private OutputStream out;
    /** The step line being built, reused: a line per step allocates no builder. */
    private final StringBuilder line = new StringBuilder(192);
    private long lastFlush;

    MetricsLog(Path file, int logEvery) {
        if (logEvery < 1) throw new IllegalArgumentException("metrics log: log_every must be >= 1, got " + logEvery);
        this.file = file;
        this.logEvery = logEvery;
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        try {
            switch (event) {
                case TrainingEvent.Start s -> {
                    if (file.getParent() != null) Files.createDirectories(file.getParent());
                    out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16);
                    lastFlush = System.nanoTime();
                }
                case TrainingEvent.Step s when s.step() % logEvery == 0 -> {
                    StringBuilder b = line;
                    b.setLength(0);
                    b.append("{\"kind\":\"step\",\"step\":").append(s.step()).append(",\"epoch\":").append(s.epoch() + 1);
                    num(b.append(",\"loss\":"), s.loss());
                    num(b.append(",\"lr\":"), s.lr());
                    num(b.append(",\"grad_norm\":"), s.gradNorm());
                    num(b.append(",\"seconds\":"), s.seconds());
                    write(b.append(s.skipped() ? ",\"skipped\":true}" : "}"));
                    if (System.nanoTime() - lastFlush >= FLUSH_NANOS) flush();
                }
                case TrainingEvent.Evaluated e -> {
                    write("{\"kind\":\"eval\",\"step\":" + e.step() + ",\"epoch\":" + (e.epoch() + 1) + fields(e.metrics()) + "}");
                    flush();
                }
                case TrainingEvent.EpochEnd e -> {
                    write("{\"kind\":\"epoch\",\"epoch\":" + (e.epoch() + 1) + ",\"step\":" + e.step()
                            + fields(e.metrics()) + ",\"seconds\":" + num(e.seconds()) + "}");
                    flush();
                }
                case TrainingEvent.End e -> {
                    if (out != null) {
                        write("{\"kind\":\"end\",\"step\":" + e.step() + ",\"reason\":" + string(e.reason()) + "}");
                        out.close();
                        out = null;
                    }
                }
                default -> { }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write metrics log " + file + ": " + x.getMessage(), x);
        }
    }

    private void write(CharSequence text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.write(NEWLINE);
    }

    private void flush() throws IOException {
        out.flush();
        lastFlush = System.nanoTime();
    }

    private static String fields(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(',').append(string(k)).append(':').append(num(v)));
        return sb.toString();
    }

    /** A JSON number (Double.toString's form, e.g. 1.0E-4, is valid JSON), or null when not finite. */
    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** As {@link #num(double)}, appended (StringBuilder.append(double) writes Double.toString's digits). */
    private static void num(StringBuilder b, double v) {
        if (Double.isFinite(v)) b.append(v);
        else b.append("null");
    }

    static String string(String s) {
        return JsonStrings.quote(s);
    }
}
