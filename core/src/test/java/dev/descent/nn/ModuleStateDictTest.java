package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.DType;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter and buffer naming, ordering, loading and replacing, against PyTorch's state_dict conventions. */
class ModuleStateDictTest {
    /** Sequential(Linear(4,8), ReLU, Sequential(Linear(8,8), BatchNorm1d(8)), Dropout, Linear(8,3)). */
    private static Sequential nested(long seed) {
        Generator gen = Generator.seeded(seed);
        return Sequential.of(Linear.of(4, 8, gen), Activations.relu(),
                Sequential.of(Linear.of(8, 8, gen), BatchNorm1d.of(8)), Dropout.of(0.5, gen), Linear.of(8, 3, gen));
    }

    @Test
    void stateDictNamesAndOrderFollowPyTorch() {
        // What torch prints for list(model.state_dict()) of the same nested nn.Sequential.
        List<String> expected = List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias",
                "2.1.running_mean", "2.1.running_var", "2.1.num_batches_tracked", "4.weight", "4.bias");
        assertEquals(expected, List.copyOf(nested(1).stateDict().keySet()));
    }

    @Test
    void parametersAndBuffersAreSeparatedInTheSameOrder() {
        Sequential m = nested(1);
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias", "4.weight", "4.bias"),
                List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("2.1.running_mean", "2.1.running_var", "2.1.num_batches_tracked"), List.copyOf(m.namedBuffers().keySet()));
        assertEquals(List.copyOf(m.namedParameters().values()), m.parameters());
        assertArrayEquals(new int[] {8, 4}, m.namedParameters().get("0.weight").shape());
        assertArrayEquals(new int[] {3}, m.namedParameters().get("4.bias").shape());
        assertArrayEquals(new int[0], m.namedBuffers().get("2.1.num_batches_tracked").shape());
        for (Tensor p : m.parameters()) {
            assertEquals(DType.F32, p.dtype());
            assertTrue(p.isLeaf() && p.requiresGrad(), "parameters are leaves that require gradients");
        }
        for (Tensor b : m.namedBuffers().values()) assertFalse(b.requiresGrad(), "buffers are not trained");
    }

    @Test
    void parametersAreTheLiveTensorsTheLayersUse() {
        Sequential m = nested(1);
        Linear first = (Linear) m.get(0);
        assertSame(first.weight(), m.namedParameters().get("0.weight"));
        assertSame(m.get(2).submodule("1"), m.submodule("2.1"));
        assertEquals(List.of("", "0", "1", "2", "2.0", "2.1", "3", "4"), List.copyOf(m.namedModules().keySet()));
    }

    @Test
    void stateDictRoundTripCopiesValuesAndKeepsIdentity() {
        Sequential a = nested(1), b = nested(2);
        Tensor bWeight = b.namedParameters().get("2.0.weight");
        assertFalse(java.util.Arrays.equals(a.namedParameters().get("2.0.weight").toFloatArray(), bWeight.toFloatArray()),
                "different seeds give different weights");
        a.namedBuffers().get("2.1.running_mean").data()[3] = 7f;
        Module.LoadResult r = b.loadStateDict(a.stateDict(), true);
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        for (var e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), b.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
        }
        assertSame(bWeight, b.namedParameters().get("2.0.weight"), "loading copies into the tensor an optimizer holds");
        assertEquals(7f, b.namedBuffers().get("2.1.running_mean").toFloatArray()[3]);
    }

    @Test
    void stateDictViewsTrackTrainingButCopiesDoNot() {
        Sequential m = nested(1);
        Tensor view = m.stateDict().get("0.bias");
        Tensor snapshot = view.copy();
        m.namedParameters().get("0.bias").data()[0] += 1;
        assertEquals(snapshot.toFloatArray()[0] + 1, view.toFloatArray()[0]);
        assertFalse(view.requiresGrad(), "state dict values are detached");
    }

    @Test
    void strictLoadNamesMissingAndUnexpectedKeysAndChangesNothing() {
        Sequential m = nested(1);
        float[] before = m.namedParameters().get("0.weight").toFloatArray();
        Map<String, Tensor> state = new LinkedHashMap<>(nested(2).stateDict());
        state.remove("2.1.running_var");
        state.remove("4.bias");
        state.put("5.weight", Tensor.zeros(2, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("missing key(s) in state dict: 2.1.running_var, 4.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected key(s) in state dict: 5.weight"), e.getMessage());
        assertArrayEquals(before, m.namedParameters().get("0.weight").toFloatArray(), "a failed load writes nothing");
    }

    @Test
    void nonStrictLoadReportsWhatItSkipped() {
        Sequential m = nested(1);
        Map<String, Tensor> state = new LinkedHashMap<>(nested(2).stateDict());
        state.remove("4.bias");
        state.put("extra", Tensor.zeros(1));
        Module.LoadResult r = m.loadStateDict(state, false);
        assertEquals(List.of("4.bias"), r.missingKeys());
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertArrayEquals(state.get("0.weight").toFloatArray(), m.namedParameters().get("0.weight").toFloatArray());
    }

    @Test
    void shapeMismatchNamesTheKeyAndBothShapesEvenWhenNotStrict() {
        Sequential m = nested(1);
        Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
        state.put("2.0.weight", Tensor.zeros(8, 7));
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("size mismatch for 2.0.weight: copying a tensor of shape [8, 7], the shape in the current model is [8, 8]"),
                e.getMessage());
    }

    @Test
    void loadConvertsFloat64Values() {
        Linear l = Linear.of(2, 1, Generator.seeded(3));
        l.loadStateDict(Map.of("weight", Tensor.of(new double[] {0.25, -2}, 1, 2), "bias", Tensor.of(new double[] {1.5}, 1)), true);
        assertArrayEquals(new float[] {0.25f, -2f}, l.weight().toFloatArray());
        assertEquals(DType.F32, l.weight().dtype());
    }

    @Test
    void setParameterReplacesAndCanTieWeights() {
        Generator gen = Generator.seeded(4);
        Sequential m = Sequential.of(Linear.of(3, 3, gen), Linear.of(3, 3, gen));
        Tensor shared = m.namedParameters().get("0.weight");
        m.setParameter("1.weight", shared);
        assertSame(shared, ((Linear) m.get(1)).weight());
        // A tied tensor is one parameter for the optimizer, but both names stay in the state dict.
        assertEquals(List.of("0.weight", "0.bias", "1.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(3, m.parameters().size());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(m.stateDict().keySet()));
        // Tied: the gradient of both uses accumulates in the one tensor.
        m.forward(Tensor.ones(1, 3)).sum().backward();
        assertTrue(shared.grad() != null);

        Tensor fresh = Tensor.full(0.5f, 3);
        m.setParameter("0.bias", fresh);
        assertSame(fresh, m.namedParameters().get("0.bias"));
        assertTrue(fresh.requiresGrad());
    }

    @Test
    void setParameterRejectsBadNamesShapesAndTensors() {
        Sequential m = Sequential.of(Linear.of(3, 2, Generator.seeded(5)));
        var unknown = assertThrows(IllegalArgumentException.class, () -> m.setParameter("0.gain", Tensor.zeros(2)));
        assertTrue(unknown.getMessage().contains("0.gain") && unknown.getMessage().contains("0.weight"), unknown.getMessage());
        var noChild = assertThrows(IllegalArgumentException.class, () -> m.setParameter("3.weight", Tensor.zeros(2, 3)));
        assertTrue(noChild.getMessage().contains("no submodule '3'"), noChild.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> m.setParameter("0.weight", Tensor.zeros(3, 2)));
        assertTrue(shape.getMessage().contains("[2, 3]") && shape.getMessage().contains("[3, 2]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.setParameter("0.bias", Tensor.zeros(DType.F64, 2)));
        Tensor leaf = Tensor.zeros(2).requireGrad();
        assertThrows(IllegalArgumentException.class, () -> m.setParameter("0.bias", leaf.mul(2.0)));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential m = nested(1);
        assertTrue(m.namedModules().values().stream().allMatch(Module::isTraining), "modules start in training mode");
        assertSame(m, m.eval());
        assertTrue(m.namedModules().values().stream().noneMatch(Module::isTraining));
        m.train();
        assertTrue(m.submodule("2.1").isTraining());
        m.submodule("2").eval();
        assertTrue(m.isTraining() && m.get(0).isTraining());
        assertFalse(m.submodule("2.0").isTraining() || m.submodule("2.1").isTraining());
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Sequential m = Sequential.of(Linear.of(3, 2, Generator.seeded(6)), Activations.tanh(), Linear.of(2, 1, Generator.seeded(7)));
        m.forward(Tensor.ones(4, 3)).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void customModulesRegisterTheirOwnTensors() {
        final class Scale extends Module {
            Scale() {
                registerParameter("gain", Tensor.full(2f, 3));
                registerBuffer("calls", Tensor.zeros());
                registerModule("inner", Activations.relu());
            }

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(parameter("gain"));
            }
        }
        Scale s = new Scale();
        assertEquals(List.of("gain", "calls"), List.copyOf(s.stateDict().keySet()));
        assertArrayEquals(new float[] {-2, 0, 4}, s.forward(Tensor.vector(-1, 0, 2)).toFloatArray());
        assertTrue(s.namedChildren().get("inner") instanceof ReLU);
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("a.b", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
    }

    @Test
    void toStringLooksLikePyTorch() {
        String s = Sequential.of(Linear.of(4, 2, Generator.seeded(1)), Activations.relu()).toString();
        assertEquals("Sequential(\n  (0): Linear(in_features=4, out_features=2, bias=true)\n  (1): ReLU()\n)", s);
    }

    /**
     * A state dict without BatchNorm's counter (PyTorch's before the counter existed, or a file
     * that left it out) loads strictly, the counter set to 0, as PyTorch's _load_from_state_dict
     * fills it; any other missing buffer is still an error.
     */
    @Test
    void aStateDictWithoutNumBatchesTrackedLoadsWithZero() {
        Sequential source = nested(2), target = nested(3);
        target.train();
        target.forward(Tensor.zeros(4, 4).add(Tensor.arange(16).reshape(4, 4)));
        assertEquals(1.0, target.namedBuffers().get("2.1.num_batches_tracked").item());
        Map<String, Tensor> state = new LinkedHashMap<>(source.stateDict());
        state.remove("2.1.num_batches_tracked");
        Module.LoadResult r = target.loadStateDict(state, true);
        assertEquals(List.of(), r.missingKeys());
        assertEquals(0.0, target.namedBuffers().get("2.1.num_batches_tracked").item());
        assertArrayEquals(source.stateDict().get("2.1.running_var").toFloatArray(), target.stateDict().get("2.1.running_var").toFloatArray());

        state.remove("2.1.running_var");
        var e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("missing key(s) in state dict: 2.1.running_var"), e.getMessage());
        assertEquals(List.of("2.1.num_batches_tracked"), List.copyOf(nested(1).countBuffers()));
    }
}
