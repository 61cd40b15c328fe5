package dev.descent.bench;

import dev.descent.tensor.kernel.Gemm;
import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Throughput of {@link Gemm#sgemm} for C = A * B (row-major, no transposes, no accumulation).
 *
 * <p>For every shape and thread count: warm up (so the JIT has compiled the kernel and the
 * packing buffers exist), then time single calls until both a minimum count and a minimum time
 * are reached, and print one machine-readable line:
 *
 * <pre>gemm impl=descent m=128 k=784 n=256 threads=1 reps=812 min_ms=0.51 median_ms=0.53 best_gflops=100.2 median_gflops=96.8</pre>
 *
 * GFLOP/s counts 2*m*n*k floating-point operations per call. The minimum time is the least
 * disturbed run on a shared machine; the median shows how noisy it was.
 *
 * <p>Arguments (all optional): {@code --shapes 128x784x256,512,...} (MxKxN, or one number for a
 * cube), {@code --threads 1,2}, {@code --seconds 1.5} (measuring time per case),
 * {@code --min-reps 5}; {@code --quick}: two small shapes, a few calls each (a smoke run, CI's).
 */
public final class GemmBench {
    private GemmBench() {}

    public static void main(String[] args) {
        List<int[]> shapes = parseShapes("128x784x256,256,512,1024,2048");
        int[] threads = {1, 2};
        double seconds = 1.5;
        int minReps = 5;
        double warmUpSeconds = 1;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--shapes" -> { shapes = parseShapes(v); i++; }
                case "--threads" -> { threads = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray(); i++; }
                case "--seconds" -> { seconds = Double.parseDouble(v); i++; }
                case "--min-reps" -> { minReps = Integer.parseInt(v); i++; }
                case "--quick" -> {
                    shapes = parseShapes("64,33x70x17");
                    seconds = 0.02;
                    minReps = 2;
                    warmUpSeconds = 0.02;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --shapes, --threads, --seconds, --min-reps, --quick)");
            }
        }
        System.out.println("# kernels: " + KernelMode.describe());
        warmUpJit(threads, warmUpSeconds);
        for (int[] s : shapes) {
            for (int t : threads) {
                Parallel.setThreads(t);
                run(s[0], s[1], s[2], t, seconds, minReps);
            }
        }
    }

    /**
     * Runs every code path (direct small path, packed path, each thread count) for a while before
     * anything is timed, so that the first measured case is not the one that pays for C2 compiling
     * the micro-kernel (per-case warm-up alone is too short for that when --seconds is small).
     */
    private static void warmUpJit(int[] threads, double seconds) {
        int[][] sizes = {{16, 16, 16}, {96, 300, 130}, {256, 256, 256}};
        for (int t : threads) {
            Parallel.setThreads(t);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                for (int[] s : sizes) {
                    int m = s[0], k = s[1], n = s[2];
                    Gemm.sgemm(false, false, m, n, k, new float[m * k], 0, k, new float[k * n], 0, n, new float[m * n], 0, n, false);
                }
            }
        }
    }

    private static List<int[]> parseShapes(String spec) {
        List<int[]> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] d = part.trim().split("x");
            if (d.length == 1) {
                int x = Integer.parseInt(d[0]);
                out.add(new int[] {x, x, x});
            } else if (d.length == 3) {
                out.add(new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2])});
            } else {
                throw new IllegalArgumentException("shape " + part + ": expected MxKxN or a single size");
            }
        }
        return out;
    }

    private static void run(int m, int k, int n, int threads, double seconds, int minReps) {
        Random rnd = new Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        Runnable call = () -> Gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);

        // Warm-up: at least 3 calls and a third of the measuring time, so C2 has compiled the kernel.
        long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
        for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) call.run();

        List<Long> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (times.size() < minReps || (System.nanoTime() < end && times.size() < 100_000)) {
            long t0 = System.nanoTime();
            call.run();
            times.add(System.nanoTime() - t0);
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        double minMs = sorted[0] / 1e6, medianMs = sorted[sorted.length / 2] / 1e6;
        double flop = 2.0 * m * n * k;
        System.out.println(String.format(Locale.ROOT,
                "gemm impl=descent m=%d k=%d n=%d threads=%d reps=%d min_ms=%.4f median_ms=%.4f best_gflops=%.1f median_gflops=%.1f checksum=%.6g",
                m, k, n, threads, sorted.length, minMs, medianMs, flop / minMs / 1e6, flop / medianMs / 1e6, checksum(c)));
    }

    /** Printed so the work cannot be optimised away, and so runs can be compared for equal results. */
    private static double checksum(float[] c) {
        double s = 0;
        for (float v : c) s += v;
        return s;
    }
}
