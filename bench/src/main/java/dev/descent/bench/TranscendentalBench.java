package dev.descent.bench;

import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.Parallel;
import dev.descent.tensor.kernel.UnaryOp;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Elementwise float32 transcendental throughput on one thread: the former per-element
 * {@code (float) op.apply((double) x)} loop, the FloatMath scalar kernel and the VectorFloatMath
 * kernel, over 1M floats uniform in [-10, 10] (log: in (0, 20]). Prints min and median over the
 * timed repeats. Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.descent.bench.TranscendentalBench [--quick] [reps [OP,OP,...]]}; {@code --quick}: 4096 floats, one repeat (a smoke run, CI's).
 */
public final class TranscendentalBench {

    private TranscendentalBench() {}

    public static void main(String[] args) {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        if (quick) args = Arrays.copyOfRange(args, 1, args.length);
        int reps = quick ? 1 : args.length > 0 ? Integer.parseInt(args[0]) : 31;
        int n = quick ? 1 << 12 : 1 << 20;
        Parallel.setThreads(1);
        SplittableRandom rnd = new SplittableRandom(42);
        float[] x = new float[n];
        float[] pos = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-10, 10);
            pos[i] = (float) rnd.nextDouble(Double.MIN_VALUE, 20);
        }
        float[] out = new float[n];
        System.out.println("kernels: " + KernelMode.describe() + "; " + n + " floats, " + reps + " repeats, ms per call (min / median)");
        UnaryOp[] ops = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SOFTPLUS, UnaryOp.ERF};
        if (args.length > 1) ops = Arrays.stream(args[1].split(",")).map(UnaryOp::valueOf).toArray(UnaryOp[]::new);
        for (UnaryOp op : ops) {
            float[] in = op == UnaryOp.LOG ? pos : x;
            String old = time(reps, () -> {
                for (int i = 0; i < n; i++) out[i] = (float) op.apply((double) in[i]);
            });
            KernelMode.setVectorized(false);
            String scalar = time(reps, () -> Kernels.unary(op, in, 0, out, 0, n));
            String vector = "n/a";
            if (KernelMode.vectorAvailable()) {
                KernelMode.setVectorized(true);
                vector = time(reps, () -> Kernels.unary(op, in, 0, out, 0, n));
            }
            System.out.printf("%-8s old (float) Math: %s   FloatMath scalar: %s   VectorFloatMath: %s%n", op, old, scalar, vector);
        }
    }

    private static String time(int reps, Runnable body) {
        for (int i = 0; i < Math.max(10, reps / 2); i++) body.run();   // warm-up: let C2 compile
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return String.format("%6.3f / %6.3f", ms[0], ms[reps / 2]);
    }
}
