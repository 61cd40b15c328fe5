package dev.descent.loss;

import dev.descent.tensor.GradCheck;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Central finite-difference checks (float64, see {@link GradCheck} for the tolerances) of every
 * loss with respect to its input, and with respect to its target where PyTorch differentiates
 * the target (regression targets, BCE targets, probability targets, KL targets). Random points
 * are drawn away from the kinks (|d| = 0, |d| = beta, hinge = 0), where no derivative exists.
 * BCE's gradient is the fused formula, so this also checks that it agrees with its own value.
 */
class LossGradientTest {
    private final Generator gen = Generator.seeded(1313);

    private Tensor randn(int... shape) {
        return GradCheck.randn(gen, shape);
    }

    private Tensor uniform(double lo, double hi, int... shape) {
        return GradCheck.uniform(gen, lo, hi, shape);
    }

    /** Whole-number class indices in [0, classes) as a float64 tensor, with some set to ignore. */
    private Tensor labels(int classes, int ignoreEvery, int ignoreIndex, int... shape) {
        Tensor t = uniform(0, classes, shape);
        double[] v = t.data64();
        for (int i = 0; i < v.length; i++) v[i] = ignoreEvery > 0 && i % ignoreEvery == 1 ? ignoreIndex : Math.floor(v[i]);
        return t;
    }

    private static void check(String name, Loss loss, Tensor input, Tensor target) {
        GradCheck.check(name + " wrt input", in -> loss.apply(in[0], target), input);
    }

    private static void checkBoth(String name, Loss loss, Tensor input, Tensor target) {
        GradCheck.check(name + " wrt input and target", in -> loss.apply(in[0], in[1]), input, target);
    }

    @Test
    void mse() {
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            checkBoth("mse " + r, Losses.mse(r), randn(4, 3), randn(4, 3));
        }
    }

    @Test
    void l1() {
        checkBoth("l1 mean", Losses.l1(), randn(4, 3), randn(4, 3));
        checkBoth("l1 none", Losses.l1(Reduction.NONE), randn(5), randn(5));
    }

    @Test
    void smoothL1BothRegimes() {
        // errors ~ N(0, 2): about a fifth fall inside |d| < 0.5
        checkBoth("smoothL1 0.5", Losses.smoothL1(0.5), randn(6, 4).mul(2.0), randn(6, 4));
        checkBoth("smoothL1 beta 0 (L1)", Losses.smoothL1(0.0, Reduction.SUM), randn(3, 3), randn(3, 3));
    }

    @Test
    void huberBothRegimes() {
        checkBoth("huber 0.7", Losses.huber(0.7), randn(6, 4).mul(2.0), randn(6, 4));
        checkBoth("huber 2 none", Losses.huber(2.0, Reduction.NONE), randn(3, 5).mul(3.0), randn(3, 5));
    }

    @Test
    void bce() {
        checkBoth("bce", Losses.bce(), uniform(0.05, 0.95, 5, 3), uniform(0, 1, 5, 3));
        checkBoth("bce weighted sum", Losses.bce(uniform(0.5, 2, 3), Reduction.SUM), uniform(0.05, 0.95, 4, 3), uniform(0, 1, 4, 3));
    }

    @Test
    void bceWithLogits() {
        checkBoth("bceWithLogits", Losses.bceWithLogits(), randn(5, 3).mul(3.0), uniform(0, 1, 5, 3));
        checkBoth("bceWithLogits posWeight weight", Losses.bceWithLogits(uniform(0.5, 3, 3), uniform(0.5, 2, 5, 1), Reduction.NONE),
                randn(5, 3).mul(3.0), uniform(0, 1, 5, 3));
    }

    @Test
    void crossEntropyClassIndices() {
        check("ce", Losses.crossEntropy(), randn(5, 4).mul(2.0), labels(4, 0, -100, 5));
        check("ce weight ignore smoothing", Losses.crossEntropy(uniform(0.5, 2, 4), 3, 0.2),
                randn(7, 4).mul(2.0), labels(4, 3, 3, 7));
        check("ce none", Losses.crossEntropy(uniform(0.5, 2, 4), -100, 0.1, Reduction.NONE), randn(5, 4), labels(4, 2, -100, 5));
        check("ce spatial [N, C, H, W]", Losses.crossEntropy(uniform(0.5, 2, 3), -1, 0.1),
                randn(2, 3, 2, 2), labels(3, 3, -1, 2, 2, 2));
        check("ce unbatched [C]", Losses.crossEntropy(null, -100, 0.3), randn(6), Tensor.scalar(4.0));
    }

    @Test
    void crossEntropyProbabilities() {
        checkBoth("ce probabilities", Losses.crossEntropy(), randn(4, 5), randn(4, 5).softmax(1));
        checkBoth("ce probabilities weight smoothing sum", Losses.crossEntropy(uniform(0.5, 2, 5), -100, 0.2, Reduction.SUM),
                randn(4, 5), randn(4, 5).softmax(1));
        checkBoth("ce probabilities spatial none", Losses.crossEntropy(null, -100, 0.0, Reduction.NONE),
                randn(2, 3, 4), randn(2, 3, 4).softmax(1));
    }

    @Test
    void nll() {
        check("nll", Losses.nll(), randn(5, 4), labels(4, 0, -100, 5));
        check("nll weight ignore", Losses.nll(uniform(0.5, 2, 4), -100), randn(6, 4), labels(4, 3, -100, 6));
        check("nll spatial sum", Losses.nll(null, -100, Reduction.SUM), randn(2, 4, 3), labels(4, 0, -100, 2, 3));
    }

    @Test
    void klDiv() {
        checkBoth("klDiv batchmean", Losses.klDiv(false, Reduction.BATCH_MEAN), randn(4, 5).logSoftmax(1), uniform(0.05, 1, 4, 5));
        checkBoth("klDiv mean", Losses.klDiv(), randn(4, 5), uniform(0.05, 1, 4, 5));
        checkBoth("klDiv log target none", Losses.klDiv(true, Reduction.NONE), randn(3, 4), randn(3, 4));
    }

    @Test
    void multiMargin() {
        check("multiMargin", Losses.multiMargin(), randn(6, 4), labels(4, 0, 0, 6));
        check("multiMargin p2 weight margin", Losses.multiMargin(2, 0.7, uniform(0.5, 2, 4)), randn(6, 4), labels(4, 0, 0, 6));
        check("multiMargin none", Losses.multiMargin(1, 1.5, null, Reduction.NONE), randn(5, 3), labels(3, 0, 0, 5));
        check("multiMargin unbatched", Losses.multiMargin(2, 1.0, null, Reduction.SUM), randn(5), Tensor.scalar(2.0));
    }
}
