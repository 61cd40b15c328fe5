package dev.descent.bench;

import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.CapturedStep;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import dev.descent.train.CompiledStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The three ways one training step can run, compared in one JVM on the same problem: through
 * {@link CompiledStep} (a plan for chains of Linear and ReLU), eagerly inside a
 * {@link CapturedStep} (the general path the Trainer takes for every other model: eager code on
 * planned buffers), and plainly eagerly. Each path trains its own copy of the model (same seed,
 * same batches); rounds interleave the paths in a rotating order, so load and JIT state affect
 * them alike, and the paths must end with the same parameters bit for bit (it throws otherwise).
 * Only ratios between the paths of one run mean anything; the question it answers is whether the
 * general path is as fast as the special case it would retire.
 *
 * <p>Problems: {@code tiny-logistic} (Linear 2 -> 1, BCE with logits, batch 32: per-op overhead
 * is all there is), {@code tiny-linear} (the same with MSE), {@code mlp} (784-256-128-10 with
 * ReLU, cross-entropy, batch 128, random pixels and labels: the GEMMs dominate).
 *
 * <p>Arguments: {@code --problem tiny-logistic|tiny-linear|mlp} {@code --optimizer sgd|adam}
 * {@code --steps 10000} (per path per round) {@code --rounds 7} {@code --threads 1}
 * {@code --seed 1}; {@code --quick}: 2 rounds of 20 steps. Output: one {@code round} line per round
 * and a {@code result} line with each path's median microseconds per step and the medians of the
 * per-round ratios to the compiled path.
 */
public final class StepPathBench {
    private StepPathBench() {}

    private static final String[] PATHS = {"compiled", "captured", "eager"};

    public static void main(String[] argv) {
        Map<String, String> a = TrainBenchSupport.args(argv, TrainBenchSupport.defaults(
                "problem", "tiny-logistic", "optimizer", "sgd", "steps", "10000", "rounds", "7", "threads", "1", "seed", "1"));
        int threads = TrainBenchSupport.threads(a);
        boolean quick = TrainBenchSupport.quick(a);
        int steps = quick ? 20 : Integer.parseInt(a.get("steps"));
        int rounds = quick ? 2 : Integer.parseInt(a.get("rounds"));
        String problem = a.get("problem"), optName = a.get("optimizer");
        long seed = Long.parseLong(a.get("seed"));
        OptimizerSpec spec = switch (optName) {
            case "sgd" -> Optimizers.sgd(0.1);
            case "adam" -> Optimizers.adam(problem.equals("mlp") ? 1e-3 : 0.01);
            default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got " + optName);
        };
        Loss loss = switch (problem) {
            case "tiny-logistic" -> Losses.bceWithLogits();
            case "tiny-linear" -> Losses.mse();
            case "mlp" -> Losses.crossEntropy();
            default -> throw new IllegalArgumentException("--problem must be tiny-logistic, tiny-linear or mlp, got " + problem);
        };
        boolean mlp = problem.equals("mlp");
        int batches = 32, rows = mlp ? 128 : TinyTrainBench.BATCH;
        Generator gen = Generator.seeded(seed);
        Tensor[] xs = new Tensor[batches], ys = new Tensor[batches];
        for (int b = 0; b < batches; b++) {
            if (mlp) {
                xs[b] = Tensor.rand(gen, rows, 784);
                float[] labels = new float[rows];
                for (int i = 0; i < rows; i++) labels[i] = (float) Math.floor(gen.nextDouble() * 10);
                ys[b] = Tensor.of(labels, rows);
            } else {
                xs[b] = Tensor.randn(gen, rows, TinyTrainBench.FEATURES);
                ys[b] = TinyTrainBench.target(xs[b], problem.equals("tiny-logistic"), gen);
            }
        }
        Module[] models = new Module[PATHS.length];
        Optimizer[] opts = new Optimizer[PATHS.length];
        for (int p = 0; p < PATHS.length; p++) {
            Generator init = Generator.seeded(seed + 1);
            models[p] = mlp ? Sequential.of(Linear.of(784, 256, init), Activations.relu(), Linear.of(256, 128, init), Activations.relu(),
                    Linear.of(128, 10, init)) : Linear.of(TinyTrainBench.FEATURES, 1, init);
            opts[p] = spec.bind(models[p].namedParameters());
        }
        CompiledStep compiled = CompiledStep.of(models[0], loss, opts[0]);
        if (!compiled.isCompiled()) throw new IllegalStateException("not compiled: " + compiled.fallbackReason());
        String signature = CapturedStep.signature(xs[0], ys[0]);
        int[] next = new int[PATHS.length]; // each path's position in the batch cycle
        double[][] micros = new double[PATHS.length][rounds];
        try (CapturedStep captured = CapturedStep.create()) {
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < PATHS.length; k++) {
                    int p = (r + k) % PATHS.length; // rotating order
                    long start = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        int b = next[p]++ % batches;
                        switch (p) {
                            case 0 -> compiled.run(xs[b], ys[b]);
                            case 1 -> {
                                opts[1].zeroGrad();
                                try (var step = captured.begin(signature)) {
                                    eager(models[1], loss, opts[1], xs[b], ys[b]);
                                }
                            }
                            default -> {
                                opts[2].zeroGrad();
                                eager(models[2], loss, opts[2], xs[b], ys[b]);
                            }
                        }
                    }
                    micros[p][r] = (System.nanoTime() - start) / 1e3 / steps;
                }
                TrainBenchSupport.line("round", "bench", "steppath-" + problem + "-" + optName, "round", r + 1,
                        "compiled_us", micros[0][r], "captured_us", micros[1][r], "eager_us", micros[2][r]);
            }
        }
        for (int p = 1; p < PATHS.length; p++) {
            for (Map.Entry<String, Tensor> e : models[0].namedParameters().entrySet()) {
                if (!Arrays.equals(e.getValue().toFloatArray(), models[p].namedParameters().get(e.getKey()).toFloatArray())) {
                    throw new IllegalStateException(PATHS[p] + " path's parameter " + e.getKey() + " differs from the compiled path's");
                }
            }
        }
        TrainBenchSupport.line("result", "bench", "steppath-" + problem + "-" + optName, "threads", threads, "steps", steps, "rounds", rounds,
                "compiled_us_median", median(micros[0]), "captured_us_median", median(micros[1]), "eager_us_median", median(micros[2]),
                "captured_over_compiled", medianRatio(micros[1], micros[0]), "eager_over_compiled", medianRatio(micros[2], micros[0]),
                "same_bits", true);
    }

    /** zero_grad is the caller's; then forward, loss, backward, update, and the loss read as a training loop does. */
    private static void eager(Module model, Loss loss, Optimizer opt, Tensor x, Tensor y) {
        Tensor l = loss.apply(model.forward(x), y);
        l.item();
        l.backward();
        opt.step();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Median over rounds of a[r] / b[r] (the same round's two paths ran back to back). */
    private static double medianRatio(double[] a, double[] b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.length; i++) r.add(a[i] / b[i]);
        return median(r.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
