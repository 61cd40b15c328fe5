package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callbacks.tensorboard} from the command line: where train, compare and tune put their
 * event files, and its bad forms. What the files hold is checked by TensorBoardLogTest (against
 * metrics.jsonl) and, with TensorBoard's own reader, by scripts/check-tensorboard.py in CI.
 */
class TensorBoardOptionTest {
    @TempDir Path dir;

    private static final String BASE = """
            seed: 3
            data: {train: builtin:digits.csv, target: digit, scale: {divide: 16}, validation_split: 0.2}
            model: [linear: 8, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1}
            train: {epochs: 1, batch_size: 256}
            metrics: [accuracy]
            """;

    private static List<String> eventFiles(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("events.out.tfevents.")).sorted().toList();
        }
    }

    private static List<String> subdirectories(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void trainWritesIntoRunDirTbOrTheGivenDirectory() throws IOException {
        Path config = Cli.write(dir, "run.yaml", BASE + "callbacks: {tensorboard: true}\n");
        var r = Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve("a").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, eventFiles(dir.resolve("a/tb")).size());

        // A relative directory is relative to the config file, like every path in it.
        Path sub = Files.createDirectories(dir.resolve("configs"));
        config = Cli.write(sub, "run.yaml", BASE + "callbacks: {tensorboard: {dir: ../boards/b, histogram_every: 2}}\n");
        r = Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve("b").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, eventFiles(dir.resolve("boards/b")).size());
        assertFalse(Files.exists(dir.resolve("b/tb")));
        assertTrue(Files.readString(dir.resolve("b/config.yaml")).contains(dir.resolve("boards/b").toString()), "config.yaml names the absolute directory");
    }

    @Test
    void badFormsAreOneLineExit2() throws IOException {
        String[][] cases = {
            {"callbacks: {tensorboard: 3}", "callbacks.tensorboard", "expected true, false, a directory"},
            {"callbacks: {tensorboard: {histogram_every: -1}}", "callbacks.tensorboard.histogram_every", "-1"},
            {"callbacks: {tensorboard: {dirr: x}}", "callbacks.tensorboard.dirr", "did you mean 'dir'"},
        };
        for (String[] c : cases) {
            Path config = Cli.write(dir, "bad.yaml", BASE + c[0] + "\n");
            var r = Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve("bad").toString());
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            String err = r.errorLines();
            assertEquals(1, err.lines().count(), err);
            for (int i = 1; i < c.length; i++) assertTrue(err.contains(c[i]), "'" + c[i] + "' expected in: " + err);
            assertFalse(Files.exists(dir.resolve("bad/tb")), "nothing written by a refused run");
        }
    }

    /** One run per variant under OUT/tb, named by the variant; the warm-up writes none. */
    @Test
    void compareWritesOneRunPerVariant() throws IOException {
        Path config = Cli.write(dir, "cmp.yaml", BASE + """
                callbacks: {tensorboard: true}
                compare:
                  variants:
                    - {name: slow}
                    - {name: fast, optimizer: {lr: 0.5}}
                """);
        var r = Cli.run("compare", config.toString(), "--out", dir.resolve("c").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("fast", "slow"), subdirectories(dir.resolve("c/tb")));
        for (String v : List.of("fast", "slow")) assertEquals(1, eventFiles(dir.resolve("c/tb").resolve(v)).size(), v);
    }

    /**
     * The experiment in OUT/tb, and per trial a run with three files in creation order: the
     * session start, the training curves, the session end with the trial's value.
     */
    @Test
    void tuneWritesTheExperimentAndOneSessionPerTrial() throws IOException {
        Path config = Cli.write(dir, "tune.yaml", BASE + """
                callbacks: {tensorboard: true}
                search:
                  metric: val_accuracy
                  sampler: random
                  trials: 2
                  params:
                    optimizer.lr: {log_uniform: [0.01, 0.5]}
                """);
        var r = Cli.run("tune", config.toString(), "--out", dir.resolve("t").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, eventFiles(dir.resolve("t/tb")).size());
        assertEquals(List.of("0000", "0001"), subdirectories(dir.resolve("t/tb")));
        for (String t : List.of("0000", "0001")) assertEquals(3, eventFiles(dir.resolve("t/tb").resolve(t)).size(), t);
    }
}
