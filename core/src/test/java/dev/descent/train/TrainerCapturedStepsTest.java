package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.AvgPool2d;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Embedding;
import dev.descent.nn.Flatten;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.MeanPool;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamGroups;
import dev.descent.tensor.CapturedStep;
import dev.descent.tensor.GlobalSettings;
import dev.descent.tensor.Generator;
import dev.descent.tensor.KernelMatrix;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The Trainer's captured steps (the default for every eager step) against the same run with
 * {@code captureSteps(false)}: the same per-step losses and gradient norms and the same final
 * weights and buffers, bit for bit, for models covering Flatten, Linear, every activation,
 * Conv2d with max and average pooling, BatchNorm (1-d and 2-d, running statistics included),
 * Dropout (its masks from the trainer's generator), LayerNorm and Embedding; cross-entropy, MSE
 * and BCE-with-logits; SGD with momentum, Adam, AdamW with parameter groups and clipping,
 * RMSprop, Nadam and Lion. Each run has 40 rows in batches of 16 (two of 16 and one of 8 an
 * epoch, so two plans) over 3 epochs, and must have replayed steps: a comparison of two eager
 * runs would prove nothing. Every kernel mode and thread count of {@link KernelMatrix}.
 */
@ExtendWith(GlobalSettings.class)
class TrainerCapturedStepsTest {
    private static final int ROWS = 40;

    private record Case(String name, Supplier<Module> model, Supplier<TensorDataset> data, Loss loss, OptimizerSpec spec) {}

    private static TensorDataset images(int channels, int side, boolean classes, int outputs) {
        Generator g = Generator.seeded(11);
        Tensor x = Tensor.randn(g, ROWS, channels, side, side);
        float[] y = new float[classes ? ROWS : ROWS * outputs];
        for (int i = 0; i < y.length; i++) y[i] = classes ? (float) g.nextInt(outputs) : (float) g.nextGaussian();
        return new TensorDataset(x, classes ? Tensor.of(y, ROWS) : Tensor.of(y, ROWS, outputs));
    }

    private static TensorDataset rows(int features, boolean binary) {
        Generator g = Generator.seeded(12);
        Tensor x = Tensor.randn(g, ROWS, features);
        float[] y = new float[ROWS * 2];
        for (int i = 0; i < y.length; i++) y[i] = binary ? (g.nextDouble() < 0.5 ? 0f : 1f) : (float) g.nextGaussian();
        return new TensorDataset(x, Tensor.of(y, ROWS, 2));
    }

    private static TensorDataset tokens() {
        Generator g = Generator.seeded(13);
        float[] x = new float[ROWS * 5], y = new float[ROWS];
        for (int i = 0; i < x.length; i++) x[i] = g.nextInt(20);
        for (int i = 0; i < ROWS; i++) y[i] = g.nextInt(3);
        return new TensorDataset(Tensor.of(x, ROWS, 5), Tensor.of(y, ROWS));
    }

    private static List<Case> cases() {
        return List.of(
                new Case("mlp: flatten, linear, relu, dropout; cross-entropy; Adam", () -> {
                    Generator g = Generator.seeded(1);
                    return Sequential.of(Flatten.of(), Linear.of(36, 24, g), Activations.relu(), Dropout.of(0.25), Linear.of(24, 4, g));
                }, () -> images(1, 6, true, 4), Losses.crossEntropy(), Optimizers.adam(1e-2)),
                new Case("cnn: conv, relu, max pool, batch norm 2d, avg pool; cross-entropy; SGD momentum", () -> {
                    Generator g = Generator.seeded(2);
                    return Sequential.of(Conv2d.of(2, 4, 3, 1, 1, g), Activations.relu(), MaxPool2d.of(2), BatchNorm2d.of(4),
                            Conv2d.of(4, 6, 3, 1, 1, g), Activations.relu(), AvgPool2d.of(2), Flatten.of(), Dropout.of(0.1),
                            Linear.of(24, 3, g));
                }, () -> images(2, 8, true, 3), Losses.crossEntropy(), Optimizers.sgd(0.05, 0.9)),
                new Case("activations, layer norm; MSE; AdamW with groups and clipping", () -> {
                    Generator g = Generator.seeded(3);
                    return Sequential.of(Linear.of(6, 8, g), Activations.tanh(), Linear.of(8, 8, g), Activations.gelu(),
                            Linear.of(8, 8, g), Activations.sigmoid(), Activations.silu(), Activations.elu(), LayerNorm.of(8),
                            Activations.leakyRelu(), Linear.of(8, 8, g), Activations.softplus(), Activations.geluTanh(), Linear.of(8, 2, g));
                }, () -> rows(6, false), Losses.mse(),
                        Optimizers.adamW(1e-2, 0.01).withGroups(ParamGroups.glob("*.bias").withLr(5e-3)).clipByGlobalNorm(0.5)),
                new Case("batch norm 1d; BCE with logits; RMSprop", () -> {
                    Generator g = Generator.seeded(4);
                    return Sequential.of(Linear.of(6, 8, g), BatchNorm1d.of(8), Activations.relu(), Linear.of(8, 2, g));
                }, () -> rows(6, true), Losses.bceWithLogits(), Optimizers.rmsprop(1e-2)),
                new Case("embedding, mean pool; cross-entropy; Nadam", () -> {
                    Generator g = Generator.seeded(5);
                    return Sequential.of(Embedding.of(20, 6, g), new MeanPool(), Linear.of(6, 3, g));
                }, TrainerCapturedStepsTest::tokens, Losses.crossEntropy(), Optimizers.nadam(1e-2)),
                new Case("mlp; cross-entropy; Lion with value clipping", () -> {
                    Generator g = Generator.seeded(6);
                    return Sequential.of(Flatten.of(), Linear.of(36, 16, g), Activations.relu(), Linear.of(16, 4, g));
                }, () -> images(1, 6, true, 4), Losses.crossEntropy(), Optimizers.lion(1e-3, 0.1).clipByValue(0.05)));
    }

    /** Per-step losses and gradient norms, then every state tensor, in order. */
    private record Outcome(List<Double> steps, Map<String, float[]> state, Trainer trainer) {}

    private static Outcome train(Case c, boolean capture) {
        Module model = c.model().get();
        List<Double> steps = new ArrayList<>();
        Callback record = (e, control) -> {
            if (e instanceof TrainingEvent.Step s) {
                steps.add(s.loss());
                steps.add(s.gradNorm());
            }
        };
        Trainer trainer = Trainer.of(model, c.loss(), c.spec()).epochs(3).batchSize(16).seed(7).captureSteps(capture)
                .withoutPrefetch().callbacks(record);
        trainer.fit(c.data().get());
        Map<String, float[]> state = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> state.put(k, t.toFloatArray()));
        return new Outcome(steps, state, trainer);
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void replayedTrainingHasTheBitsOfEagerTraining(boolean vectorized, int threads) {
        try (var s = GlobalSettings.scoped(threads, vectorized)) {
            for (Case c : cases()) {
                Outcome eager = train(c, false);
                Outcome captured = train(c, true);
                CapturedStep step = captured.trainer().lastCaptured();
                assertNotNull(step, c.name());
                // 9 steps: 2 shapes captured once each, the other 7 replayed (no divergence)
                assertEquals(2, step.captures(), c.name() + ": " + captured.trainer().captureSummary());
                assertEquals(7, step.replays(), c.name() + ": " + captured.trainer().captureSummary());
                assertEquals(18, eager.steps().size(), c.name());
                for (int i = 0; i < eager.steps().size(); i++) {
                    assertEquals(Double.doubleToLongBits(eager.steps().get(i)), Double.doubleToLongBits(captured.steps().get(i)),
                            c.name() + ": step value " + i + " (vector " + vectorized + ", threads " + threads + ")");
                }
                assertEquals(eager.state().keySet(), captured.state().keySet());
                for (String k : eager.state().keySet()) {
                    assertArrayEquals(eager.state().get(k), captured.state().get(k), 0f, c.name() + ": " + k);
                }
                assertNull(eager.trainer().lastCaptured(), "captureSteps(false) runs plain eager steps");
            }
        }
    }

    @Test
    void stepsAreCapturedByDefaultAndTheSummarySaysSo() {
        Case c = cases().get(0);
        Trainer t = Trainer.of(c.model().get(), c.loss(), c.spec()).epochs(3).batchSize(16).seed(7).withoutPrefetch();
        t.fit(c.data().get());
        assertEquals(7, t.lastCaptured().replays());
        // the last step (an epoch's last batch of 8) replays its own plan: nothing to explain
        assertEquals("captured 2, replayed 7", t.captureSummary());
    }

    /** Multiplies by a gain and keeps its output for the next call, which adds it: state carried across steps. */
    private static final class Carry extends Module {
        private Tensor last;

        Carry() {
            registerParameter("gain", Tensor.ones(1).requireGrad());
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = x.mul(parameter("gain"));
            if (last != null && last.dim() == 2 && last.size(0) == y.size(0)) y = y.add(last);
            last = y.detach(); // shares y's storage: a replayed step would overwrite it
            return y;
        }
    }

    @Test
    void aModuleThatMayKeepActivationsRunsEagerlyAndSaysWhy() {
        java.util.function.Function<Boolean, Outcome> run = capture -> {
            Generator g = Generator.seeded(8);
            Module model = Sequential.of(Linear.of(6, 8, g), new Carry(), Linear.of(8, 2, g));
            Trainer t = Trainer.of(model, Losses.mse(), Optimizers.sgd(0.01)).epochs(2).batchSize(16).seed(7).captureSteps(capture)
                    .withoutPrefetch();
            t.fit(rows(6, false));
            Map<String, float[]> state = new LinkedHashMap<>();
            model.stateDict().forEach((k, v) -> state.put(k, v.toFloatArray()));
            return new Outcome(List.of(), state, t);
        };
        Outcome eager = run.apply(false), defaulted = run.apply(true);
        // replayed, the kept output's storage would be the next step's (the weights then differ)
        for (String k : eager.state().keySet()) assertArrayEquals(eager.state().get(k), defaulted.state().get(k), 0f, k);
        assertNull(defaulted.trainer().lastCaptured());
        assertEquals("not captured: module 1 (Carry) may keep activations beyond a step (Module.keepsActivations; override it to return"
                + " false if it keeps none)", defaulted.trainer().captureSummary());
    }

    @Test
    void shardedStepsCaptureTheirShardsWithTheBitsOfPlainShards() {
        for (Case c : List.of(cases().get(0), cases().get(1))) {
            Map<String, float[]> plain = null;
            for (boolean capture : new boolean[] {false, true}) {
                Module model = c.model().get();
                Trainer.of(model, c.loss(), c.spec()).epochs(2).batchSize(16).shards(2).seed(7).captureSteps(capture).withoutPrefetch()
                        .fit(c.data().get());
                Map<String, float[]> state = new LinkedHashMap<>();
                model.stateDict().forEach((k, t) -> state.put(k, t.toFloatArray()));
                if (plain == null) {
                    plain = state;
                } else {
                    for (String k : plain.keySet()) assertArrayEquals(plain.get(k), state.get(k), 0f, c.name() + ": " + k);
                }
            }
        }
    }

    @Test
    void predictionInChunksReplaysTheFirstChunksStorageAndMatchesPlainChunks() {
        Case c = cases().get(1); // the CNN: fused convolution blocks, batch norm and dropout in eval mode
        Module model = c.model().get();
        Tensor x = Tensor.randn(Generator.seeded(9), 2100, 2, 8, 8); // chunks of 1024, 1024 and 52
        model.eval();
        Tensor predicted = Trainer.predict(model, x);
        float[] want = new float[predicted.numel()];
        int at = 0;
        try (var s = dev.descent.tensor.GradMode.noGrad()) {
            for (int from = 0; from < 2100; from += 1024) {
                float[] part = model.forward(x.narrow(0, from, Math.min(1024, 2100 - from)).contiguous()).toFloatArray();
                System.arraycopy(part, 0, want, at, part.length);
                at += part.length;
            }
        }
        assertEquals(want.length, at);
        assertArrayEquals(want, predicted.toFloatArray(), 0f);
    }

    @Test
    void gradientAccumulationIsNotCapturedAndSaysWhy() {
        Case c = cases().get(0);
        Trainer t = Trainer.of(c.model().get(), c.loss(), c.spec().accumulate(dev.descent.optim.Accumulation.every(2)))
                .epochs(1).batchSize(8).seed(7).withoutPrefetch();
        t.fit(c.data().get());
        assertNull(t.lastCaptured());
        assertTrue(t.captureSummary().contains("gradient accumulation"), t.captureSummary());
    }
}
