package dev.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GlobalSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every benchmark's main still starts and finishes: each runs in-process with {@code --quick} (a
 * sliver of its work) and must print its result lines. Timings are not looked at: CI's machine is
 * shared. The Fashion-MNIST benchmarks read ../shared/data/fashion-mnist beside the clone (CI's
 * layout, as for the PyTorch fixtures); without it they fail, naming the path, never substitute
 * other data. The benches pin threads and switch kernel modes: {@link GlobalSettings} gives later
 * tests of this JVM the settings back.
 */
@ExtendWith(GlobalSettings.class)
class BenchSmokeTest {
    /** From the bench module's directory, where Maven runs its tests. */
    private static final Path FASHION = Path.of("..", "..", "shared", "data", "fashion-mnist");

    /** The lines a main printed. */
    private static synchronized List<String> run(Consumer<String[]> main, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.accept(args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> starting(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static String fashion() {
        assertTrue(Files.isRegularFile(FASHION.resolve("t10k-images-idx3-ubyte.gz")),
                "Fashion-MNIST not found at " + FASHION.toAbsolutePath().normalize() + " (CI runs with shared/ beside the clone)");
        return FASHION.toString();
    }

    @Test
    void mlpAndCnnTrainOneEpochOnOneBatch() {
        for (String bench : List.of("mlp", "cnn")) {
            Consumer<String[]> main = bench.equals("mlp") ? MlpTrainBench::main : CnnTrainBench::main;
            List<String> lines = run(main, "--quick", "--data", fashion());
            assertEquals(1, starting(lines, "epoch bench=" + bench + " impl=descent threads=1 epoch=1 ").size(), bench + ": " + lines);
            List<String> result = starting(lines, "result bench=" + bench + " impl=descent threads=1 epochs=1 train_size=32 ");
            assertEquals(1, result.size(), bench + ": " + lines);
            assertTrue(result.get(0).contains(" accuracy=0."), result.get(0));
        }
    }

    @Test
    void tinyTrainsCompiledAndEager() {
        List<String> compiled = run(TinyTrainBench::main, "--quick");
        assertEquals(1, starting(compiled, "result bench=tiny-logistic-sgd impl=descent threads=1 steps=64 ").size(), compiled.toString());
        List<String> eager = run(TinyTrainBench::main, "--quick", "--mode", "eager", "--problem", "linear", "--optimizer", "adam");
        assertEquals(1, starting(eager, "result bench=tiny-linear-adam impl=descent-eager threads=1 steps=64 ").size(), eager.toString());
    }

    /** The step-path comparison runs all three paths on a tiny problem and the MLP, and they end with the same parameters (it throws otherwise). */
    @Test
    void stepPathsRunAndAgree() {
        for (String[] c : List.of(new String[] {"tiny-logistic", "sgd"}, new String[] {"tiny-linear", "adam"}, new String[] {"mlp", "adam"})) {
            List<String> lines = run(StepPathBench::main, "--quick", "--problem", c[0], "--optimizer", c[1]);
            assertEquals(2, starting(lines, "round bench=steppath-" + c[0] + "-" + c[1] + " round=").size(), lines.toString());
            List<String> result = starting(lines, "result bench=steppath-" + c[0] + "-" + c[1] + " threads=1 steps=20 rounds=2 ");
            assertEquals(1, result.size(), lines.toString());
            assertTrue(result.get(0).endsWith(" same_bits=true"), result.get(0));
        }
    }

    @Test
    void gemmTimesTwoShapesOnOneAndTwoThreads() {
        List<String> lines = run(GemmBench::main, "--quick");
        assertEquals(4, starting(lines, "gemm impl=descent m=").size(), lines.toString());
    }

    @Test
    void samplersRunEveryProblemOnce() {
        List<String> lines = run(SamplerBench::main, "--quick");
        List<String> results = starting(lines, "sampler impl=descent problem=");
        assertEquals(2 * SamplerProblems.ALL.size(), results.size(), lines.toString());
        for (String l : results) assertTrue(l.contains(" best_5=") && l.contains(" best_10="), l);
    }

    @Test
    void storageRunsAStudyOnSqlite(@TempDir Path dir) {
        List<String> lines = run(StorageBench::main, "--url", "jdbc:sqlite:" + dir.resolve("bench.db"), "--quick");
        assertEquals(1, starting(lines, "storage impl=descent seconds=").size(), lines.toString());
    }

    @Test
    void transcendentalsTimeEveryOp() {
        List<String> lines = run(TranscendentalBench::main, "--quick");
        assertEquals(6, lines.stream().filter(l -> l.contains(" FloatMath scalar: ")).count(), lines.toString());
    }
}
