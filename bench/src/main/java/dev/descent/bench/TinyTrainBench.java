package dev.descent.bench;

import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.nn.Linear;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import dev.descent.train.CompiledStep;
import java.util.Map;

/**
 * Issue 6, benchmark 3: problems so small that per-operation overhead is all there is. Logistic
 * regression (BCE with logits) or linear regression (MSE) on 2 features, batch 32, SGD or Adam,
 * written as a user would with the Java API.
 *
 * <p>{@code --mode compiled} (the default) runs each step through {@link CompiledStep}, which
 * plans the forward and backward pass of a Linear model once (the same bits as eager);
 * {@code --mode eager} writes the step out: zeroGrad, forward, loss, backward, step.
 *
 * <p>The data are 32 fixed batches of 32 rows, made before the clock starts and cycled, so the
 * loop times only the training step (PyTorch's twin does the same). Reported: steps per second
 * over all steps (what a user waits for, JIT warm-up included) and over the second half (steady
 * state), plus the last loss as a check that it trained.
 *
 * <p>Arguments: {@code --threads 1} {@code --steps 10000} {@code --problem logistic|linear}
 * {@code --optimizer sgd|adam} {@code --mode compiled|eager} {@code --seed 1}; {@code --quick}: 64 steps. Learning rates: SGD 0.1, Adam 0.01.
 */
public final class TinyTrainBench {
    private TinyTrainBench() {}

    static final int FEATURES = 2, BATCH = 32, BATCHES = 32;

    public static void main(String[] argv) {
        Map<String, String> a = TrainBenchSupport.args(argv, TrainBenchSupport.defaults(
                "threads", "1", "steps", "10000", "problem", "logistic", "optimizer", "sgd", "mode", "compiled", "seed", "1"));
        int threads = TrainBenchSupport.threads(a);
        int steps = TrainBenchSupport.quick(a) ? 64 : Integer.parseInt(a.get("steps"));
        String problem = a.get("problem"), optName = a.get("optimizer");
        boolean logistic = switch (problem) {
            case "logistic" -> true;
            case "linear" -> false;
            default -> throw new IllegalArgumentException("--problem must be logistic or linear, got " + problem);
        };
        OptimizerSpec spec = switch (optName) {
            case "sgd" -> Optimizers.sgd(0.1);
            case "adam" -> Optimizers.adam(0.01);
            default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got " + optName);
        };
        boolean compiled = switch (a.get("mode")) {
            case "compiled" -> true;
            case "eager" -> false;
            default -> throw new IllegalArgumentException("--mode must be compiled or eager, got " + a.get("mode"));
        };
        Generator gen = Generator.seeded(Long.parseLong(a.get("seed")));
        Tensor[] xs = new Tensor[BATCHES], ys = new Tensor[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            xs[b] = Tensor.randn(gen, BATCH, FEATURES);
            ys[b] = target(xs[b], logistic, gen);
        }
        Linear model = Linear.of(FEATURES, 1, gen);
        Loss loss = logistic ? Losses.bceWithLogits() : Losses.mse();
        Optimizer opt = spec.bind(model.namedParameters());
        // Made before the clock starts, as the model and the optimizer are.
        CompiledStep compiledStep = compiled ? CompiledStep.of(model, loss, opt) : null;
        if (compiled && !compiledStep.isCompiled()) throw new IllegalStateException("not compiled: " + compiledStep.fallbackReason());

        double lastLoss = Double.NaN;
        long start = System.nanoTime(), half = start;
        for (int step = 0; step < steps; step++) {
            if (step == steps / 2) half = System.nanoTime();
            int b = step % BATCHES;
            if (compiled) {
                lastLoss = compiledStep.run(xs[b], ys[b]);
                continue;
            }
            opt.zeroGrad();
            Tensor l = loss.apply(model.forward(xs[b]), ys[b]);
            l.backward();
            opt.step();
            // Reading the loss every step is what a training loop does (progress, NaN checks),
            // and it forces the step to have finished, as loss.item() does in PyTorch.
            lastLoss = l.item();
        }
        long end = System.nanoTime();
        double all = steps / ((end - start) / 1e9), steady = (steps - steps / 2) / ((end - half) / 1e9);
        TrainBenchSupport.line("result", "bench", "tiny-" + problem + "-" + optName, "impl", compiled ? "descent" : "descent-eager", "threads", threads,
                "steps", steps, "steps_per_sec", all, "steady_steps_per_sec", steady, "us_per_step", 1e6 / all,
                "final_loss", lastLoss, "peak_rss_mb", TrainBenchSupport.peakRssMb());
    }

    /** Logistic: 1 where 1.5*x0 - x1 + 0.2 + noise > 0, else 0. Linear: 3*x0 - 2*x1 + 0.5 + 0.1*noise. Shape [rows, 1]. */
    static Tensor target(Tensor x, boolean logistic, Generator gen) {
        float[] v = x.toFloatArray();
        float[] noise = Tensor.randn(gen, x.size(0)).toFloatArray();
        float[] y = new float[x.size(0)];
        for (int i = 0; i < y.length; i++) {
            float x0 = v[i * FEATURES], x1 = v[i * FEATURES + 1];
            y[i] = logistic ? (1.5f * x0 - x1 + 0.2f + 0.3f * noise[i] > 0 ? 1f : 0f) : 3f * x0 - 2f * x1 + 0.5f + 0.1f * noise[i];
        }
        return Tensor.of(y, y.length, 1);
    }
}
