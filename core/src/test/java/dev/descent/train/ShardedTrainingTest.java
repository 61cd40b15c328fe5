package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Csv;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Sharded steps ({@link Trainer#shards}): the same bits for any number of participants, the plain
 * step for one shard, the definition itself checked by hand, and batch norm's running-statistics rule.
 */
class ShardedTrainingTest {
    private static final TensorDataset TRAIN;

    static {
        try (var in = ShardedTrainingTest.class.getResourceAsStream("/data/digits.csv")) {
            var all = Tabular.classification(Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "digits.csv"), "digit").data();
            int[] first = new int[320];
            for (int i = 0; i < first.length; i++) first[i] = i;
            TRAIN = new TensorDataset(all.features().div(16.0), all.targets()).subset(first);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** A model with every kind of per-shard state: dropout draws and batch-norm buffers. */
    static Module model() {
        Generator g = Generator.seeded(5);
        return Sequential.of(Linear.of(64, 32, g), BatchNorm1d.of(32), Activations.relu(), Dropout.of(0.2), Linear.of(32, 10, g));
    }

    private static OptimizerSpec adamClipped() {
        return Optimizers.adam(3e-3).clipByGlobalNorm(0.5);
    }

    private static Map<String, float[]> state(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static void assertSameState(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), actual.get(k), what + ": " + k);
    }

    private static Map<String, float[]> trainSharded(int shards, GradientReducer reducer) {
        Module m = model();
        Trainer t = Trainer.of(m, Losses.crossEntropy(), adamClipped()).epochs(2).batchSize(64).seed(9).shards(shards);
        if (reducer != null) t.reducer(reducer);
        t.fit(TRAIN);
        return state(m);
    }

    @Test
    void anyNumberOfParticipantsGivesTheSameBits() throws Exception {
        Map<String, float[]> reference = trainSharded(8, null);
        for (int parties : new int[] {2, 3, 4, 8}) {
            List<GradientReducer> group = InProcessReducer.group(parties);
            ExecutorService pool = Executors.newFixedThreadPool(parties);
            try {
                List<Future<Map<String, float[]>>> runs = new ArrayList<>();
                for (GradientReducer r : group) runs.add(pool.submit(() -> trainSharded(8, r)));
                for (Future<Map<String, float[]>> f : runs) assertSameState(reference, f.get(), parties + " participants");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void oneShardIsThePlainStep() {
        for (boolean compiled : new boolean[] {true, false}) {
            Module plain = model(), one = model();
            Trainer.of(plain, Losses.crossEntropy(), adamClipped()).epochs(2).batchSize(48).seed(9).compileSteps(compiled).fit(TRAIN);
            Trainer.of(one, Losses.crossEntropy(), adamClipped()).epochs(2).batchSize(48).seed(9).compileSteps(compiled).shards(1).fit(TRAIN);
            assertSameState(state(plain), state(one), "shards 1");
        }
    }

    @Test
    void shardsDifferFromThePlainStepOnlyByRounding() {
        Module plain = model(), sharded = model();
        // without dropout and batch norm the sharded gradient is the full batch's mean gradient, up to summation order
        Generator g1 = Generator.seeded(5), g2 = Generator.seeded(5);
        plain = Sequential.of(Linear.of(64, 16, g1), Activations.tanh(), Linear.of(16, 10, g1));
        sharded = Sequential.of(Linear.of(64, 16, g2), Activations.tanh(), Linear.of(16, 10, g2));
        Trainer.of(plain, Losses.crossEntropy(), Optimizers.sgd(0.1)).maxSteps(3).batchSize(64).seed(9).fit(TRAIN);
        Trainer.of(sharded, Losses.crossEntropy(), Optimizers.sgd(0.1)).maxSteps(3).batchSize(64).seed(9).shards(4).fit(TRAIN);
        float[] a = plain.stateDict().get("0.weight").toFloatArray(), b = sharded.stateDict().get("0.weight").toFloatArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        // weights are O(0.1) and three steps of lr 0.1 move them by O(0.01): float rounding of the sums stays below 1e-6
        assertTrue(worst < 1e-6, "max difference " + worst);
    }

    /** A linear model with a parameter its forward never reads (a head that is not used, say). */
    private static final class WithUnused extends Module {
        WithUnused() {
            registerModule("used", Linear.of(64, 10, Generator.seeded(5)));
            registerParameter("unused", Tensor.of(new float[] {0.5f, -0.25f}, 2));
        }

        @Override
        public Tensor forward(Tensor x) {
            return submodule("used").forward(x);
        }
    }

    /**
     * A parameter no shard's loss reaches gets no gradient, so SGD with momentum and weight decay
     * leaves it as it was, as the plain step does (with a zero gradient, weight decay would shrink
     * it); with 1 and 2 participants, captured and eager.
     */
    @Test
    void aParameterNoShardReachesIsLeftAloneAsInThePlainStep() throws Exception {
        OptimizerSpec sgd = Optimizers.sgd(0.1, 0.9, 0, false, 0.05);
        for (boolean compiled : new boolean[] {true, false}) {
            Module plain = new WithUnused();
            Trainer.of(plain, Losses.crossEntropy(), sgd).maxSteps(4).batchSize(64).seed(9).compileSteps(compiled).fit(TRAIN);
            assertArrayEquals(new float[] {0.5f, -0.25f}, plain.stateDict().get("unused").toFloatArray(), "the plain step");
            List<GradientReducer> group = InProcessReducer.group(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Module>> runs = new ArrayList<>();
                for (GradientReducer r : group) {
                    runs.add(pool.submit(() -> {
                        Module m = new WithUnused();
                        Trainer.of(m, Losses.crossEntropy(), sgd).maxSteps(4).batchSize(64).seed(9).compileSteps(compiled).shards(4).reducer(r)
                                .fit(TRAIN);
                        return m;
                    }));
                }
                for (Future<Module> f : runs) {
                    Module m = f.get();
                    assertArrayEquals(new float[] {0.5f, -0.25f}, m.stateDict().get("unused").toFloatArray(), "4 shards, compiled " + compiled);
                    assertTrue(!java.util.Arrays.equals(new WithUnused().stateDict().get("used.weight").toFloatArray(),
                            m.stateDict().get("used.weight").toFloatArray()), "the used parameters trained");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** One SGD step of S = 2, computed here from the definition with two independent forward/backward passes. */
    @Test
    void oneStepMatchesTheDefinition() {
        int shards = 2, rows = 32;
        Module trained = model();
        Trainer.of(trained, Losses.crossEntropy(), Optimizers.sgd(0.5)).maxSteps(1).batchSize(rows).shuffle(false).seed(9).shards(shards).fit(TRAIN);

        Module ref = model();
        Map<String, Tensor> params = ref.namedParameters();
        Map<String, float[]> before = state(ref);
        List<Map<String, float[]>> grads = new ArrayList<>(), buffers = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            ref.loadStateDict(toTensors(before, ref), true);
            ref.setGenerator(ShardedStep.generator(9, 0, s));
            ref.zeroGrad();
            Tensor x = TRAIN.features().narrow(0, s * rows / shards, rows / shards).contiguous();
            Tensor y = TRAIN.targets().narrow(0, s * rows / shards, rows / shards).contiguous();
            Losses.crossEntropy().apply(ref.forward(x), y).backward();
            Map<String, float[]> g = new LinkedHashMap<>();
            params.forEach((k, p) -> g.put(k, p.grad().toFloatArray()));
            grads.add(g);
            Map<String, float[]> b = new LinkedHashMap<>();
            ref.namedBuffers().forEach((k, v) -> b.put(k, v.toFloatArray()));
            buffers.add(b);
        }
        Map<String, float[]> expected = new LinkedHashMap<>();
        for (String k : before.keySet()) {
            float[] w = before.get(k).clone();
            if (params.containsKey(k)) {
                for (int i = 0; i < w.length; i++) w[i] -= 0.5f * ((grads.get(0).get(k)[i] + grads.get(1).get(k)[i]) * 0.5f);
            } else {
                // the buffer rule: tree-mean of the shards' updated buffers, each shard starting from the same values
                for (int i = 0; i < w.length; i++) w[i] = (buffers.get(0).get(k)[i] + buffers.get(1).get(k)[i]) * 0.5f;
            }
            expected.put(k, w);
        }
        assertSameState(expected, state(trained), "one step");
        assertEquals(1f, state(trained).get("1.num_batches_tracked")[0], "one update of the running statistics per step");
        assertNotEquals(0f, state(trained).get("1.running_mean")[0], "the running mean moved");
    }

    private static Map<String, Tensor> toTensors(Map<String, float[]> values, Module like) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        like.stateDict().forEach((k, v) -> out.put(k, Tensor.of(values.get(k).clone(), v.shape())));
        return out;
    }

    @Test
    void refusesShardCountsThatDoNotFit() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> Trainer.of(model(), Losses.crossEntropy(), adamClipped()).shards(3));
        assertTrue(e1.getMessage().contains("power of two"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(model(), Losses.crossEntropy(), adamClipped()).batchSize(20).shards(8).fit(TRAIN));
        assertEquals("shards 8 does not divide the batch size 20", e2.getMessage());
    }
}
