package dev.descent.train;

/**
 * The names of the files in a run directory, defined once for the trainer's callbacks, the command
 * line's run directory and the report:
 *
 * <pre>
 * config.yaml              the configuration as run
 * metrics.jsonl            step, eval, epoch, end and test lines (JSON Lines)
 * last.safetensors         checkpoint at the end of an epoch (every epoch, or every few seconds) and when training ends
 * best.safetensors         checkpoint at the best validation value (when validating)
 * final.safetensors        the model as training left it
 * confusion_matrix.json    on the test data, for classification
 * </pre>
 */
public final class RunFiles {
    private RunFiles() {}

    public static final String CONFIG = "config.yaml";
    public static final String METRICS = "metrics.jsonl";
    public static final String LAST = "last.safetensors";
    public static final String BEST = "best.safetensors";
    public static final String FINAL = "final.safetensors";
    public static final String CONFUSION = "confusion_matrix.json";
}
