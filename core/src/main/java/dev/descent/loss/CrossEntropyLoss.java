package dev.descent.loss;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Cross-entropy of logits against class indices or class probabilities, as
 * {@code torch.nn.CrossEntropyLoss} (PyTorch 1.13, including label smoothing).
 *
 * <p>Input: logits of shape [N, C], [N, C, d1, ...] (a class score per position, as in
 * segmentation) or [C] (one sample). With {@code q = logSoftmax(x)} over the class dimension:
 *
 * <h2>Class-index targets</h2>
 * Target shape [N] / [N, d1, ...] / [], holding whole numbers in [0, C) or {@code ignoreIndex}.
 * With class weights w (1 if absent), smoothing e and t the target at a position,
 * <pre>
 *   l = (1 - e) w[t] (-q[t]) + (e / C) sum_c w[c] (-q[c])     (0 where t == ignoreIndex)
 *   MEAN = sum l / sum w[t]      over the positions not ignored
 * </pre>
 * This is PyTorch's formula: label smoothing (Szegedy et al., "Rethinking the Inception
 * Architecture for Computer Vision", CVPR 2016) mixes the one-hot target with the uniform
 * distribution, (1 - e) onehot(t) + e / C, and with class weights each class's term carries its
 * own weight while the mean still divides by the total weight w[t] of the counted targets (not
 * by their number), as the weighted NLL does. If every target is ignored, MEAN is 0/0 = NaN, as
 * in PyTorch.
 *
 * <h2>Sequences: class dimension last</h2>
 * Logits [B, T, V] (any rank of at least 3 whose last dimension holds the classes, the layout of
 * a language model's output) with class-index targets [B, T] (the logits' shape without the last
 * dimension) are read as B * T rows of V classes: the same formula, MEAN over every token not
 * ignored. PyTorch wants such logits transposed to [B, V, T] first; this saves the transpose.
 * When the targets' shape fits both readings (T == V), PyTorch's class dimension 1 is taken.
 *
 * <h2>Class-probability targets</h2>
 * Target of the input's shape, holding a distribution p over the class dimension:
 * <pre>
 *   p' = (1 - e) p + e / C,   l = -sum_c w[c] p'[c] q[c],   MEAN = sum l / (numel / C)
 * </pre>
 * Note that here MEAN divides by the number of samples even with class weights (PyTorch does the
 * same). Probability targets are differentiable. ignoreIndex must stay negative (PyTorch:
 * "ignore_index is not supported for floating point target").
 *
 * <p>Which kind of target is meant is decided by its shape: the input's shape means
 * probabilities, the input's shape without dimension 1 means indices. Logits of any magnitude
 * are fine (log-softmax subtracts the maximum), and logits of -infinity for classes other than
 * the target (masked classes) give a finite loss.
 *
 * @param weight         one weight per class, shape [C], or null for 1
 * @param ignoreIndex    target value whose positions count for nothing (PyTorch's default -100)
 * @param labelSmoothing e in [0, 1] (0: none)
 * @param reduction      NONE, MEAN (PyTorch's default) or SUM
 */
public record CrossEntropyLoss(Tensor weight, int ignoreIndex, double labelSmoothing, Reduction reduction) implements Loss {
    public CrossEntropyLoss {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        Checks.classWeights("crossEntropy", weight);
        Reduction.checkOrdinary("crossEntropy", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.notNull("crossEntropy", input, target);
        if (input.dim() == 0) {
            throw new IllegalArgumentException("crossEntropy: input must have a class dimension ([C], [N, C] or [N, C, d1, ...]), got a 0-d tensor");
        }
        if (classesLast(input, target)) {
            int v = input.size(-1);
            Tensor l = apply(input.reshape(-1, v), target.reshape(-1));
            return reduction == Reduction.NONE ? l.reshape(target.shape()) : l;
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        int classes = input.size(classDim);
        double[] w = Checks.classWeights("crossEntropy", weight);
        Checks.classWeightCount("crossEntropy", w, classes);
        if (Arrays.equals(input.shape(), target.shape())) {
            return probabilityTargets(input, target, input.logSoftmax(classDim), classDim, classes, w);
        }
        ClassTargets t = ClassTargets.read("crossEntropy", input, target, ignoreIndex,
                " (or class probabilities of the input's shape)");
        if (fusable(input, t)) return input.softmaxCrossEntropy(t.labels, reduction == Reduction.MEAN);
        Tensor logProb = input.logSoftmax(classDim);
        Tensor a = t.coefficients(input, w, 1 - labelSmoothing, labelSmoothing / classes);
        Tensor perPosition = NllLoss.contract(a, logProb, classDim);
        return NllLoss.reduce(reduction, perPosition, t.totalWeight(w));
    }

    /** Logits [..., V] of rank 3 or more with targets of their shape without the last dimension, and no other reading fits. */
    private static boolean classesLast(Tensor input, Tensor target) {
        if (input.dim() < 3 || target == null || target.dim() != input.dim() - 1) return false;
        int[] in = input.shape();
        if (!Arrays.equals(Arrays.copyOf(in, in.length - 1), target.shape())) return false;
        return !Arrays.equals(ClassTargets.indexShape(in), target.shape());
    }

    /**
     * The class indices of {@code target} when this loss on float32 logits {@code [rows, classes]}
     * takes its fused path (no class weights, no smoothing, no ignored target, mean or sum; see
     * {@link dev.descent.tensor.Tensor#softmaxCrossEntropy}), else null, also for targets the
     * loss would reject (applying it gives the error). For compiled training steps, which run
     * that path's arithmetic on their own buffers.
     */
    public int[] fusedLabels(int rows, int classes, Tensor target) {
        if (weight != null || labelSmoothing != 0 || (reduction != Reduction.MEAN && reduction != Reduction.SUM)) return null;
        if (target == null || target.dim() != 1 || target.size(0) != rows) return null;
        ClassTargets t;
        try {
            t = ClassTargets.read("crossEntropy", new int[] {rows, classes}, target, ignoreIndex, "");
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (boolean ignored : t.ignored) if (ignored) return null;
        return t.labels;
    }

    /**
     * The common case runs as one fused operation (Tensor.softmaxCrossEntropy, same loss bits):
     * float32 [N, C] logits, no class weights, no smoothing, no ignored target, mean or sum.
     */
    private boolean fusable(Tensor input, ClassTargets t) {
        if (input.dtype() != DType.F32 || input.dim() != 2 || weight != null || labelSmoothing != 0) return false;
        if (reduction != Reduction.MEAN && reduction != Reduction.SUM) return false;
        for (boolean ignored : t.ignored) if (ignored) return false;
        return true;
    }

    private Tensor probabilityTargets(Tensor input, Tensor target, Tensor logProb, int classDim, int classes, double[] w) {
        if (ignoreIndex >= 0) {
            throw new IllegalArgumentException("crossEntropy: ignoreIndex " + ignoreIndex
                    + " is not supported with class-probability targets (target shape " + Checks.shape(target) + ")");
        }
        if (target.dtype() != input.dtype()) {
            throw new IllegalArgumentException("crossEntropy: input is " + input.dtype() + " but target is " + target.dtype());
        }
        Tensor p = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
        if (w != null) {
            int[] shape = new int[input.dim()];
            Arrays.fill(shape, 1);
            shape[classDim] = classes;
            p = p.mul(Checks.constant(input, w, shape));
        }
        Tensor perSample = p.mul(logProb).sum(classDim, false).neg();
        return switch (reduction) {
            case MEAN -> perSample.sum().div((double) input.numel() / classes);
            default -> reduction.apply(perSample);
        };
    }
}
