package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No kernel may come near the size at which C1 gives up on it. The Vector API runs fast only in
 * C2's code; a method reaches C2 through C1's profiling (tier 3) compile, and when that compile
 * fails ("out of virtual registers in linear scan") HotSpot never tries C2 on it: the method runs
 * the API's Java fallback for the rest of the process, 3-4.6x slower CNN epochs in 5 of 31 runs
 * (bench/training.md, "The slow CNN runs": {@code VectorMaxPool2x2.reluBackward}, 244-246 KB of
 * tier-3 code, failed or not depending on one inlining decision that raced with C2).
 *
 * <p>This test runs {@link C1CompileDriver} in a JVM with C1 alone ({@code -XX:TieredStopAtLevel=3}:
 * without C2 nothing is "prohibited by policy", so C1 inlines the most it ever will) and reads its
 * compilation log. It fails on any failed compile of a Descent method and on any Descent method
 * whose tier-3 code exceeds {@link #LIMIT_BYTES}: 60% of the smallest size seen to fail, a margin
 * no inlining race can bridge (one inlined {@code Arrays.fill} tipped the failing method over).
 */
class C1CompileSizeTest {
    /** 60% of 244 KB, the smallest tier-3 code size seen to fail in C1's register allocation. */
    static final int LIMIT_BYTES = 150 * 1024;

    private static final Pattern NMETHOD = Pattern.compile("<nmethod compile_id='\\d+'(?: compile_kind='(\\w+)')? compiler='c1' level='(\\d)'.*? size='(\\d+)'.*? method='(dev\\.descent\\.[^']+)'");
    private static final Pattern TASK = Pattern.compile("<task compile_id='\\d+'.*? method='([^']+)'");
    private static final Pattern FAILURE = Pattern.compile("<failure reason='([^']*)'");
    private static final Pattern NOT_COMPILABLE = Pattern.compile("<make_not_compilable .*?method='(dev\\.descent\\.[^']+)'");

    @TempDir
    Path dir;

    /** What a compilation log says of Descent's methods: each one's largest tier-3 code, and every failure. */
    record Compiles(Map<String, Integer> tier3Bytes, List<String> failures) {}

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyKernelCompilesInC1FarFromItsLimit() throws Exception {
        Path log = dir.resolve("compilation.log"), out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=3",
                // thresholds 50x lower, so a few training steps compile every kernel the steps call
                "-XX:CompileThresholdScaling=0.02",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log, "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), C1CompileDriver.class.getName(), "2")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(200, TimeUnit.SECONDS)) p.destroyForcibly();
        String said = Files.readString(out);
        assertEquals(0, p.waitFor(), said);
        assertTrue(said.contains("trained"), said);

        Compiles compiles = read(log);
        assertEquals(List.of(), compiles.failures(), "C1 failed on these Descent methods");
        List<String> tooLarge = new ArrayList<>();
        compiles.tier3Bytes().forEach((m, bytes) -> {
            if (bytes > LIMIT_BYTES) tooLarge.add(m + ": " + bytes / 1024 + " KB");
        });
        assertEquals(List.of(), tooLarge, "tier-3 code over " + LIMIT_BYTES / 1024 + " KB (split the method)");
        // and the kernels this is about were compiled, so their sizes were checked
        for (String kernel : List.of("VectorMaxPool2x2 reluBackward (", "VectorMaxPool2x2 reluBackwardNarrow (", "VectorMaxPool2x2 gradients (",
                "VectorMaxPool2x2 reluForward (", "GemmMicroKernel full (", "VectorRowDots tile4x3 (")) {
            assertTrue(compiles.tier3Bytes().keySet().stream().anyMatch(m -> m.contains(kernel)),
                    "the driver compiled " + kernel + "...) at tier 3: " + compiles.tier3Bytes().keySet());
        }
    }

    /**
     * Reads a -XX:+LogCompilation file: the size of each C1 tier-3 nmethod of a dev.descent method
     * (OSR compiles marked), and the failed compiles of dev.descent methods (a task's failure
     * element, except "stale task": a queued compile dropped because the method no longer needs
     * it, not a compiler failure) and the methods HotSpot marked not compilable.
     */
    static Compiles read(Path log) throws IOException {
        Map<String, Integer> sizes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        String task = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher n = NMETHOD.matcher(line);
            if (n.find() && n.group(2).equals("3")) sizes.merge(n.group(4) + ("osr".equals(n.group(1)) ? " (OSR)" : ""), Integer.parseInt(n.group(3)), Math::max);
            Matcher t = TASK.matcher(line);
            if (t.find()) task = t.group(1);
            Matcher f = FAILURE.matcher(line);
            if (f.find() && task != null && task.startsWith("dev.descent.") && !f.group(1).equals("stale task")) failures.add(task + ": " + f.group(1));
            Matcher nc = NOT_COMPILABLE.matcher(line);
            if (nc.find()) failures.add(nc.group(1) + ": marked not compilable");
        }
        return new Compiles(sizes, failures);
    }
}
