package dev.descent.interop.tensorboard;

import dev.descent.interop.proto.ProtoWriter;
import dev.descent.tensor.Tensor;
import dev.descent.train.Callback;
import dev.descent.train.TrainingControl;
import dev.descent.train.TrainingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A training callback that writes TensorBoard event files into a directory while the run trains:
 * <ul>
 *   <li>every {@code logEvery}-th step, {@code train/loss}, {@code train/lr} and
 *       {@code train/grad_norm} (the step record of metrics.jsonl, point for point);</li>
 *   <li>every validation, {@code val/<name>} for each metric {@code val_<name>} it computed;</li>
 *   <li>every epoch end, {@code epoch/loss} (the epoch's mean training loss) and
 *       {@code epoch/seconds} (the time the epoch took);</li>
 *   <li>every {@code histogramEvery}-th step (0: at each epoch end), histograms of every
 *       parameter ({@code weights/<name>}) and of its gradient ({@code grads/<name>});</li>
 *   <li>at the start, the run's configuration as text ({@code config}).</li>
 * </ul>
 * Points are at the optimizer step, so curves of runs with other batch sizes line up by update.
 * Each start opens a new event file in the directory; TensorBoard reads them all as one run. A
 * resumed run (from a checkpoint at step s) starts its file with a restart mark at step s + 1, so
 * TensorBoard drops what the interrupted run had logged after its checkpoint: the resumed run
 * logs those steps again.
 */
public final class TensorBoardLog implements Callback {
    /** Equal-width buckets per histogram: enough for a shape, few enough to stay small on disk. */
    static final int BUCKETS = 30;

    private final Path dir;
    private final int logEvery;
    private final int histogramEvery;
    private final Supplier<String> configText;
    private EventFile file;
    private double lastEpochEnd;

    /**
     * @param dir            the run's TensorBoard directory (created when missing)
     * @param logEvery       steps between scalar points (1: every step)
     * @param histogramEvery steps between histograms, 0 for once per epoch
     * @param configText     the configuration to show in the Text tab, or null for none; asked
     *                       for when training starts
     */
    public TensorBoardLog(Path dir, int logEvery, int histogramEvery, Supplier<String> configText) {
        if (logEvery < 1) throw new IllegalArgumentException("tensorboard: log_every must be >= 1, got " + logEvery);
        if (histogramEvery < 0) throw new IllegalArgumentException("tensorboard: histogram_every must be >= 0, got " + histogramEvery);
        this.dir = dir;
        this.logEvery = logEvery;
        this.histogramEvery = histogramEvery;
        this.configText = configText;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        try {
            switch (event) {
                case TrainingEvent.Start s -> {
                    file = EventFile.create(dir);
                    if (s.startStep() > 0) file.restartAt(s.startStep() + 1);
                    lastEpochEnd = s.startSeconds(); // a resumed run's clock starts at its earlier training time
                    String text = configText == null ? null : configText.get();
                    if (text != null) file.summary(s.startStep(), Summaries.text("config", "```\n" + text + "\n```"));
                }
                case TrainingEvent.Step s -> {
                    if (s.step() % logEvery == 0) {
                        file.summary(s.step(), Summaries.scalar("train/loss", s.loss()));
                        file.summary(s.step(), Summaries.scalar("train/lr", s.lr()));
                        file.summary(s.step(), Summaries.scalar("train/grad_norm", s.gradNorm()));
                    }
                    if (histogramEvery > 0 && s.step() % histogramEvery == 0) histograms(s.step(), control);
                }
                case TrainingEvent.Evaluated e -> {
                    for (Map.Entry<String, Double> m : e.metrics().entrySet()) file.summary(e.step(), Summaries.scalar(tag(m.getKey()), m.getValue()));
                }
                case TrainingEvent.EpochEnd e -> {
                    Double loss = e.metrics().get("loss");
                    if (loss != null) file.summary(e.step(), Summaries.scalar("epoch/loss", loss));
                    file.summary(e.step(), Summaries.scalar("epoch/seconds", e.seconds() - lastEpochEnd));
                    lastEpochEnd = e.seconds();
                    if (histogramEvery == 0) histograms(e.step(), control);
                }
                case TrainingEvent.End e -> {
                    if (file != null) {
                        file.close();
                        file = null;
                    }
                }
                default -> { }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write TensorBoard events in " + dir + ": " + x.getMessage(), x);
        }
    }

    /** The TensorBoard tag of a validation metric: {@code val_accuracy} is {@code val/accuracy}. */
    public static String tag(String metric) {
        return metric.startsWith("val_") ? "val/" + metric.substring(4) : metric;
    }

    private void histograms(long step, TrainingControl control) throws IOException {
        for (Map.Entry<String, Tensor> p : control.model().namedParameters().entrySet()) {
            write(step, Summaries.histogram("weights/" + p.getKey(), p.getValue().toFloatArray(), BUCKETS));
            Tensor g = p.getValue().grad();
            if (g != null) write(step, Summaries.histogram("grads/" + p.getKey(), g.toFloatArray(), BUCKETS));
        }
    }

    private void write(long step, ProtoWriter summary) throws IOException {
        if (summary != null) file.summary(step, summary);
    }
}
