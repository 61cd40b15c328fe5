package dev.descent.interop.tensorboard;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * TensorBoard event files of a federated run: one point per round, at the round number (1, 2, ...)
 * as the step, for each value of the round's line in metrics.jsonl: {@code val_<name>} as
 * {@code val/<name>} (the tag a centralized run's validation has, so the two overlay), anything
 * else as {@code round/<name>} ({@code round/client_loss}, {@code round/drift}); and the run's
 * configuration as text at the start. Every point is flushed, so TensorBoard shows the rounds live.
 * A run continued from round r starts its file with a restart mark at r + 1, as a resumed
 * {@link TensorBoardLog} does, so TensorBoard shows each round once.
 */
public final class RoundLog implements Closeable {
    private final EventFile file;

    private RoundLog(EventFile file) {
        this.file = file;
    }

    /**
     * A new event file in {@code dir} (created when missing).
     *
     * @param roundsDone the rounds an earlier run already logged (0 for a fresh run)
     * @param configText the configuration for the Text tab, or null for none
     */
    public static RoundLog open(Path dir, long roundsDone, String configText) throws IOException {
        RoundLog log = new RoundLog(EventFile.create(dir));
        if (roundsDone > 0) log.file.restartAt(roundsDone + 1);
        if (configText != null) log.file.summary(roundsDone, Summaries.text("config", "```\n" + configText + "\n```"));
        return log;
    }

    /** The round's values (named as in metrics.jsonl) at step {@code round}, counted from 1. */
    public void round(long round, Map<String, Double> values) throws IOException {
        for (Map.Entry<String, Double> v : values.entrySet()) {
            String tag = v.getKey().startsWith("val_") ? TensorBoardLog.tag(v.getKey()) : "round/" + v.getKey();
            file.summary(round, Summaries.scalar(tag, v.getValue()));
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
