package dev.descent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.run.TrainingRun;
import dev.descent.data.DataException;
import dev.descent.io.MalformedFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Any bytes as a run configuration (YAML) go through what {@code descent train} does before it
 * trains: parsing, every key checked, the data read, the model, loss, optimizer, schedule, metrics
 * and callbacks built ({@code validateOnly}). They end in a checked configuration or in one of the
 * errors the command line prints as one line with exit 2 ({@link ConfigException},
 * {@link DataException}, {@link MalformedFileException}, a missing file). Relative data paths
 * point at a small CSV next to the configuration. Seeds: the run configurations of examples/ and
 * the tests, in src/test/resources/dev/descent/fuzz/ConfigFuzzTestInputs.
 */
class ConfigFuzzTest {
    private static final Path DIR;
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    static {
        try {
            DIR = Files.createTempDirectory("descent-config-fuzz");
            StringBuilder csv = new StringBuilder("a,b,c,y\n");
            for (int i = 0; i < 40; i++) csv.append(i % 7).append(',').append(i % 5 - 2).append(',').append(i * 0.25).append(',').append(i % 3).append('\n');
            Files.writeString(DIR.resolve("train.csv"), csv);
            Files.writeString(DIR.resolve("test.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void config(byte[] data) throws IOException {
        Path file = DIR.resolve("run.yaml");
        Files.write(file, data);
        try {
            ConfigFile config = ConfigFile.load(file, List.of());
            TrainingRun.run(config, DIR.resolve("never-written"), new TrainingRun.Options(NOWHERE, false, false, null, List.of(), false, null, true));
        } catch (ConfigException | DataException | MalformedFileException e) {
            Documented.oneLine(e);
        } catch (NoSuchFileException e) {
            // a data or init file the configuration names is not there: "file not found" (exit 2)
        }
    }
}
