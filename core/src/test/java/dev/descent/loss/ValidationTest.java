package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments get a message that names the loss and the shapes or the offending element. */
class ValidationTest {
    private static void fails(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    private static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    @Test
    void elementwiseShapeMismatch() {
        fails(() -> Losses.mse().apply(zeros(4, 1), zeros(4)), "mse", "[4, 1]", "[4]");
        fails(() -> Losses.huber().apply(zeros(3), zeros(2)), "huber", "[3]", "[2]");
        fails(() -> Losses.bceWithLogits().apply(zeros(2, 3), zeros(3, 2)), "bceWithLogits", "[2, 3]", "[3, 2]");
        fails(() -> Losses.klDiv().apply(zeros(2, 3), zeros(2, 3).toF64()), "klDiv", "F32", "F64");
    }

    @Test
    void classIndexOutOfRange() {
        fails(() -> Losses.crossEntropy().apply(zeros(3, 5), Tensor.vector(0, 4, 5)), "crossEntropy", "target[2] = 5", "5 classes");
        fails(() -> Losses.nll().apply(zeros(2, 3), Tensor.vector(-1, 0)), "nll", "target[0] = -1", "not ignoreIndex -100");
        fails(() -> Losses.multiMargin().apply(zeros(2, 3), Tensor.vector(0, 3)), "multiMargin", "target[1] = 3");
        fails(() -> Losses.crossEntropy().apply(zeros(2, 3, 2), Tensor.of(new float[] {0, 1, 2, 9}, 2, 2)),
                "crossEntropy", "target[1, 1] = 9");
    }

    @Test
    void classIndexNotWhole() {
        fails(() -> Losses.crossEntropy().apply(zeros(2, 3), Tensor.vector(1.5f, 0)), "crossEntropy", "target[0] = 1.5", "whole number");
        fails(() -> Losses.nll().apply(zeros(2, 3), Tensor.vector(0, Float.NaN)), "nll", "target[1] = NaN");
    }

    @Test
    void wrongTargetShape() {
        fails(() -> Losses.crossEntropy().apply(zeros(6, 5), zeros(6, 2)), "crossEntropy", "[6, 2]", "[6, 5]", "need shape [6]");
        // [2, 3] would be the sequence layout (classes last, issue 18); [3, 3] fits no reading
        fails(() -> Losses.crossEntropy().apply(zeros(2, 3, 4), zeros(3, 3)), "crossEntropy", "need shape [2, 4]");
        fails(() -> Losses.nll().apply(zeros(4, 3), zeros(5)), "nll", "[5]", "[4, 3]");
        fails(() -> Losses.multiMargin().apply(zeros(4, 3), zeros(4, 1)), "multiMargin", "[4, 1]", "[4]");
        fails(() -> Losses.multiMargin().apply(zeros(2, 3, 4), zeros(2)), "multiMargin", "[2, 3, 4]");
        fails(() -> Losses.crossEntropy().apply(Tensor.scalar(1f), Tensor.scalar(0f)), "crossEntropy", "0-d");
    }

    @Test
    void badWeights() {
        fails(() -> Losses.crossEntropy(Tensor.vector(1, 2, 3)).apply(zeros(2, 5), Tensor.vector(0, 1)),
                "crossEntropy", "3 entries", "5 classes");
        fails(() -> Losses.nll(zeros(2, 2), -100), "nll", "1-D", "[2, 2]");
        fails(() -> Losses.bce(zeros(3)).apply(zeros(2, 2), zeros(2, 2)), "bce", "weight", "[3]", "[2, 2]");
        fails(() -> Losses.bceWithLogits(zeros(3)).apply(zeros(2, 2), zeros(2, 2)), "bceWithLogits", "posWeight", "[3]");
    }

    @Test
    void bceInputOutsideUnitInterval() {
        fails(() -> Losses.bce().apply(Tensor.of(new float[] {0.5f, 0.2f, 1.5f, 0f}, 2, 2), zeros(2, 2)),
                "bce", "input[1, 0] = 1.5", "[0, 1]");
    }

    @Test
    void badOptions() {
        fails(() -> Losses.crossEntropy(null, -100, 1.5), "crossEntropy", "labelSmoothing", "1.5");
        fails(() -> Losses.smoothL1(-1), "smoothL1", "beta");
        fails(() -> Losses.huber(0), "huber", "delta");
        fails(() -> Losses.multiMargin(3, 1, null), "multiMargin", "p must be 1 or 2");
        fails(() -> Losses.mse(Reduction.BATCH_MEAN), "mse", "batchmean", "klDiv");
        fails(() -> Losses.crossEntropy(null, 0, 0).apply(zeros(2, 3), zeros(2, 3)), "crossEntropy", "ignoreIndex 0", "probability");
        fails(() -> Reduction.parse("avg"), "avg", "batchmean");
    }

    @Test
    void reductionNamesAreParsedAsPyTorchWritesThem() {
        assertEquals(Reduction.BATCH_MEAN, Reduction.parse("batchmean"));
        assertEquals(Reduction.BATCH_MEAN, Reduction.parse("BATCH_MEAN"));
        assertEquals(Reduction.NONE, Reduction.parse("none"));
        for (Reduction r : Reduction.values()) assertEquals(r, Reduction.parse(r.torchName()));
    }
}
