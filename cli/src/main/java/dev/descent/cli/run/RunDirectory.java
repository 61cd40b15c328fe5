package dev.descent.cli.run;

import dev.descent.train.RunFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.descent.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The directory of one training run and the names of what goes in it:
 *
 * <pre>
 * config.yaml              the configuration as run (--set overrides applied, paths as written)
 * run.json                 data format, columns, class names, scaler parameters ({@link RunInfo})
 * metrics.jsonl            step, eval, epoch, end and test lines (JSON Lines)
 * last.safetensors         checkpoint at the end of every epoch
 * best.safetensors         checkpoint at the best validation value (when validating)
 * final.safetensors        the model as training left it (after early stopping restored the best)
 * confusion_matrix.json    on the test data, for classification
 * report.html, charts/     the report (dev.descent.cli.report.Report)
 * </pre>
 *
 * Every file Descent writes here goes to a temporary name first and is then moved into place.
 */
public final class RunDirectory {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {}

    /** runs/NAME-TIMESTAMP next to the config file, NAME the file name without extension; made unique. */
    public static Path defaultFor(Path config) {
        Path parent = config.toAbsolutePath().getParent();
        String name = config.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path base = parent.resolve("runs").resolve(name + "-" + LocalDateTime.now().format(STAMP));
        Path dir = base;
        for (int i = 2; Files.exists(dir); i++) dir = Path.of(base + "-" + i);
        return dir;
    }

    /** Writes {@code text} to {@code target} through a temporary file in the same directory and a move. */
    public static void writeAtomically(Path target, String text) throws IOException {
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes with {@link AtomicFiles} (same directory, file and directory forced), creating the directory. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        AtomicFiles.write(target, bytes);
    }

    /** How config.yaml is written and read back. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** Writes the configuration as YAML. */
    public static void writeConfig(Path dir, ObjectNode root) throws IOException {
        writeAtomically(dir.resolve(RunFiles.CONFIG), YAML.writeValueAsString(root));
    }
}
