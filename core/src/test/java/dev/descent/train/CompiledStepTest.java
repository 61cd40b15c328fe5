package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.loss.Reduction;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.optim.Accumulation;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The compiled step must give the eager step's bits: the same loss every step and the same
 * parameters and gradients after it, since it runs the same kernels in the same order. Every
 * comparison is exact (assertArrayEquals on floats compares bit patterns through
 * Float.floatToIntBits, and the losses are compared as doubles with delta 0).
 */
class CompiledStepTest {

    /** Trains two copies of a model, one through CompiledStep and one eagerly, and compares them after every step. */
    private static void assertSameAsEager(Supplier<Module> model, Loss loss, OptimizerSpec spec, int[] batchRows, boolean binaryTargets) {
        assertSameAsEager(model, loss, spec, batchRows, binaryTargets ? Targets.BINARY : Targets.REAL);
    }

    private enum Targets { REAL, BINARY, CLASSES }

    private static void assertSameAsEager(Supplier<Module> model, Loss loss, OptimizerSpec spec, int[] batchRows, Targets targets) {
        Module compiledModel = model.get(), eagerModel = model.get();
        Optimizer compiledOpt = spec.bind(compiledModel.namedParameters()), eagerOpt = spec.bind(eagerModel.namedParameters());
        CompiledStep step = CompiledStep.of(compiledModel, loss, compiledOpt);
        assertTrue(step.isCompiled(), "expected a compiled plan, got: " + step.fallbackReason());
        Generator data = Generator.seeded(7);
        int in = compiledModel.namedParameters().values().iterator().next().size(1);
        int out = outWidth(compiledModel);
        for (int s = 0; s < 40; s++) {
            int rows = batchRows[s % batchRows.length];
            Tensor x = Tensor.randn(data, rows, in);
            Tensor y = switch (targets) {
                case BINARY -> zeroOne(Tensor.rand(data, rows, out));
                case REAL -> Tensor.randn(data, rows, out);
                case CLASSES -> classIndices(Tensor.rand(data, rows), out);
            };
            double compiled = step.run(x, y);
            eagerOpt.zeroGrad();
            Tensor l = loss.apply(eagerModel.forward(x), y);
            l.backward();
            eagerOpt.step();
            assertEquals(l.item(), compiled, 0.0, "loss at step " + s);
            Map<String, Tensor> cp = compiledModel.namedParameters(), ep = eagerModel.namedParameters();
            for (String name : ep.keySet()) {
                assertArrayEquals(ep.get(name).toFloatArray(), cp.get(name).toFloatArray(), name + " after step " + s);
                assertArrayEquals(ep.get(name).grad().toFloatArray(), cp.get(name).grad().toFloatArray(), name + ".grad at step " + s);
            }
        }
    }

    private static int outWidth(Module m) {
        if (m instanceof Linear l) return l.outFeatures();
        Linear last = null;
        for (Module child : ((Sequential) m).modules()) if (child instanceof Linear l) last = l;
        return last.outFeatures();
    }

    /** floor(u * classes): class indices as whole float32 numbers, shape [rows]. */
    private static Tensor classIndices(Tensor u, int classes) {
        float[] v = u.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.min(classes - 1, (float) Math.floor(v[i] * classes));
        return Tensor.of(v, v.length);
    }

    /** 1 where u > 0.5, else 0: binary targets as float32. */
    private static Tensor zeroOne(Tensor u) {
        float[] v = u.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = v[i] > 0.5f ? 1f : 0f;
        return Tensor.of(v, u.shape());
    }

    @Test
    void logisticRegressionWithSgdMatchesEagerBitForBit() {
        assertSameAsEager(() -> Linear.of(2, 1, Generator.seeded(1)), Losses.bceWithLogits(), Optimizers.sgd(0.1), new int[] {32, 24}, true);
    }

    @Test
    void linearRegressionWithAdamMatchesEagerBitForBit() {
        assertSameAsEager(() -> Linear.of(2, 1, Generator.seeded(1)), Losses.mse(), Optimizers.adam(0.01), new int[] {32, 24}, false);
    }

    @Test
    void reluMlpWithSumReductionAndChangingBatchSizeMatchesEager() {
        // a smaller batch then a larger one again: the plan's buffers are reused and regrown
        assertSameAsEager(() -> Sequential.of(Linear.of(5, 16, Generator.seeded(2)), new ReLU(), Linear.of(16, 3, Generator.seeded(3))),
                Losses.mse(Reduction.SUM), Optimizers.adam(0.01, 0.9, 0.999, 1e-8, 0.01, false), new int[] {8, 3, 17}, false);
    }

    @Test
    void wideLayersTakeTheVectorKernelsAndStillMatchEager() {
        // 64 x 96 x 80 products and 96-wide rows: past KernelMode.SMALL, so the vector gemm and sums run
        assertSameAsEager(() -> Sequential.of(Linear.of(80, 96, Generator.seeded(4)), new ReLU(), Linear.of(96, 4, Generator.seeded(5))),
                Losses.bceWithLogits(), Optimizers.sgd(0.05, 0.9, 0, true, 1e-4).clipByGlobalNorm(1.0), new int[] {64, 20}, true);
    }

    @Test
    void classifierWithCrossEntropyMatchesEagerBitForBit() {
        // mean and sum, a batch size that changes, and logits wide enough for the vector max and sum
        assertSameAsEager(() -> Sequential.of(Linear.of(6, 32, Generator.seeded(6)), new ReLU(), Linear.of(32, 10, Generator.seeded(7))),
                Losses.crossEntropy(), Optimizers.adam(0.01), new int[] {16, 5}, Targets.CLASSES);
        assertSameAsEager(() -> Sequential.of(Linear.of(6, 8, Generator.seeded(6)), new ReLU(), Linear.of(8, 200, Generator.seeded(7))),
                Losses.crossEntropy(null, -100, 0.0, Reduction.SUM), Optimizers.sgd(0.01), new int[] {4, 9}, Targets.CLASSES);
    }

    @Test
    void crossEntropyTargetsTheFusedPathDoesNotTakeRunEagerly() {
        Sequential m = Sequential.of(Linear.of(3, 4, Generator.seeded(1)), new ReLU(), Linear.of(4, 3, Generator.seeded(2)));
        CompiledStep step = CompiledStep.of(m, Losses.crossEntropy(), Optimizers.sgd(0.1).bind(m.namedParameters()));
        assertTrue(step.isCompiled(), step.fallbackReason());
        Tensor x = Tensor.randn(Generator.seeded(3), 4, 3);
        assertTrue(step.accepts(x, Tensor.of(new float[] {0, 2, 1, 2}, 4)));
        // an ignored target (-100), class probabilities of the logits' shape, a label out of range
        assertFalse(step.accepts(x, Tensor.of(new float[] {0, -100, 1, 2}, 4)));
        assertFalse(step.accepts(x, Tensor.full(0.25f, 4, 3)));
        assertFalse(step.accepts(x, Tensor.of(new float[] {0, 3, 1, 2}, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.run(x, Tensor.of(new float[] {0, 3, 1, 2}, 4)));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        // label smoothing is not compiled at all
        CompiledStep smoothed = CompiledStep.of(m, Losses.crossEntropy(null, -100, 0.1, Reduction.MEAN), Optimizers.sgd(0.1).bind(m.namedParameters()));
        assertFalse(smoothed.isCompiled());
    }

    @Test
    void unsupportedModulesLossesAndOptimizersRunEagerlyAndSayWhy() {
        Generator g = Generator.seeded(1);
        Sequential withTanh = Sequential.of(Linear.of(3, 4, g), new Tanh(), Linear.of(4, 1, g));
        CompiledStep tanh = CompiledStep.of(withTanh, Losses.mse(), Optimizers.sgd(0.1).bind(withTanh.namedParameters()));
        assertFalse(tanh.isCompiled());
        assertTrue(tanh.fallbackReason().contains("Tanh"), tanh.fallbackReason());

        Linear lin = Linear.of(3, 1, g);
        CompiledStep l1 = CompiledStep.of(lin, Losses.l1(), Optimizers.sgd(0.1).bind(lin.namedParameters()));
        assertFalse(l1.isCompiled());
        assertTrue(l1.fallbackReason().contains("loss"), l1.fallbackReason());

        CompiledStep accumulating = CompiledStep.of(lin, Losses.mse(),
                Optimizers.sgd(0.1).accumulate(Accumulation.every(2)).bind(lin.namedParameters()));
        assertFalse(accumulating.isCompiled());
        assertTrue(accumulating.fallbackReason().contains("accumulates"), accumulating.fallbackReason());

        Sequential withDropout = Sequential.of(Linear.of(3, 4, g), Dropout.of(0.5, g), Linear.of(4, 1, g));
        CompiledStep dropout = CompiledStep.of(withDropout, Losses.mse(), Optimizers.sgd(0.1).bind(withDropout.namedParameters()));
        assertTrue(dropout.fallbackReason().contains("Dropout"), dropout.fallbackReason());
        // the eager fallback still trains: the loss on a fixed batch goes down
        Tensor x = Tensor.randn(g, 16, 3), y = x.sum(1, true);
        double first = tanh.run(x, y), last = first;
        for (int i = 0; i < 50; i++) last = tanh.run(x, y);
        assertTrue(last < first, first + " -> " + last);
    }

    @Test
    void aLayerUsedTwiceIsNotCompiled() {
        // eager autograd sums the gradients of both uses; a plan layer per use would not
        Linear shared = Linear.of(3, 3, Generator.seeded(1));
        Sequential m = Sequential.of(shared, new ReLU(), shared);
        CompiledStep step = CompiledStep.of(m, Losses.mse(), Optimizers.sgd(0.1).bind(m.namedParameters()));
        assertFalse(step.isCompiled());
        assertTrue(step.fallbackReason().contains("twice"), step.fallbackReason());
    }

    @Test
    void anOptimizerOverOtherParametersIsNotCompiled() {
        Sequential m = Sequential.of(Linear.of(3, 4, Generator.seeded(1)), new ReLU(), Linear.of(4, 1, Generator.seeded(2)));
        Linear head = (Linear) m.get(2);
        CompiledStep step = CompiledStep.of(m, Losses.mse(), Optimizers.sgd(0.1).bind(head.namedParameters()));
        assertFalse(step.isCompiled());
        assertTrue(step.fallbackReason().contains("optimizer"), step.fallbackReason());
    }

    @Test
    void aCallThatDoesNotFitThePlanGetsEagersResultOrError() {
        Linear lin = Linear.of(2, 1, Generator.seeded(1));
        CompiledStep step = CompiledStep.of(lin, Losses.mse(), Optimizers.sgd(0.1).bind(lin.namedParameters()));
        assertTrue(step.isCompiled());
        assertNull(step.fallbackReason());
        // a target of another shape: eager's own shape error, naming the loss
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step.run(Tensor.randn(Generator.seeded(2), 4, 2), Tensor.randn(Generator.seeded(3), 4)));
        assertTrue(e.getMessage().contains("mse"), e.getMessage());
        // a view as input (not a whole array) is copied, and gives the bits of the same rows as a whole tensor
        Linear a = Linear.of(2, 1, Generator.seeded(1)), b = Linear.of(2, 1, Generator.seeded(1));
        CompiledStep sa = CompiledStep.of(a, Losses.mse(), Optimizers.sgd(0.1).bind(a.namedParameters()));
        CompiledStep sb = CompiledStep.of(b, Losses.mse(), Optimizers.sgd(0.1).bind(b.namedParameters()));
        Tensor big = Tensor.randn(Generator.seeded(4), 10, 2), y = Tensor.randn(Generator.seeded(5), 4, 1);
        Tensor view = big.narrow(0, 3, 4);
        assertEquals(sa.run(view, y), sb.run(Tensor.of(view.toFloatArray(), 4, 2), y), 0.0);
        assertArrayEquals(b.weight().toFloatArray(), a.weight().toFloatArray());
    }
}
