package dev.descent.cli.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.descent.cli.config.ConfigException;
import dev.descent.data.ClassLabels;
import dev.descent.data.Scaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What evaluation and prediction need to treat new data exactly as training treated its data,
 * saved as {@code run.json} in the run directory: the data format and columns, the class names in
 * index order, the fitted scaler's parameters, the task and the loss. The model itself is rebuilt
 * from {@code config.yaml} and loaded from the checkpoint.
 *
 * @param format      "csv", "idx" or "text"
 * @param target      the CSV target column (null for IDX)
 * @param features    the CSV feature columns in model order (null for IDX)
 * @param inputShape  one example's shape as the model receives it
 * @param task        the task's name ({@link dev.descent.cli.build.Task})
 * @param loss        the loss's name
 * @param classes     class names in index order (null for regression)
 * @param scaler      the fitted scaler
 * @param text        for text data (format "text"): the tokenizer, its vocabulary and the block size; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInfo(String format, String target, List<String> features, int[] inputShape, String task, String loss,
                      List<String> classes, ScalerParams scaler, TextParams text) {
    public static final String FILE = "run.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * A scaler's kind and parameters as plain JSON values.
     *
     * @param kind "none", "divide", "standard" or "minmax"
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScalerParams(String kind, Double divisor, float[] mean, float[] std, float[] min, float[] max) {
        public static ScalerParams of(Scaler s) {
            return switch (s) {
                case Scaler.None n -> new ScalerParams("none", null, null, null, null, null);
                case Scaler.Divide d -> new ScalerParams("divide", d.divisor(), null, null, null, null);
                case Scaler.Standard st -> new ScalerParams("standard", null, st.mean(), st.std(), null, null);
                case Scaler.MinMax m -> new ScalerParams("minmax", null, null, null, m.min(), m.max());
            };
        }

        public Scaler toScaler() {
            return switch (kind) {
                case "divide" -> new Scaler.Divide(divisor);
                case "standard" -> new Scaler.Standard(mean, std);
                case "minmax" -> new Scaler.MinMax(min, max);
                default -> new Scaler.None();
            };
        }
    }

    /**
     * How a language model's text was tokenized: {@code tokenizer} "char" (with {@code vocabulary},
     * the characters in id order) or "byte"; {@code blockSize} the window length T.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TextParams(String tokenizer, List<String> vocabulary, int blockSize) {
        public dev.descent.data.Tokenizer toTokenizer() {
            return "byte".equals(tokenizer) ? dev.descent.data.ByteTokenizer.INSTANCE : dev.descent.data.CharTokenizer.of(vocabulary);
        }

        public static TextParams of(dev.descent.data.Tokenizer t, int blockSize) {
            return new TextParams(t.kind(), t instanceof dev.descent.data.CharTokenizer c ? c.vocabulary() : null, blockSize);
        }
    }

    /** The vocabulary size for text data, else 0. */
    public int vocabularySize() {
        return text == null ? 0 : text.toTokenizer().vocabularySize();
    }

    public ClassLabels classLabels() {
        return classes == null ? null : new ClassLabels(classes);
    }

    public void write(Path dir) throws IOException {
        RunDirectory.writeAtomically(dir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }

    public static RunInfo read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return JSON.readValue(Files.readString(file), RunInfo.class);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found (is " + dir + " a run directory written by 'descent train'?)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
