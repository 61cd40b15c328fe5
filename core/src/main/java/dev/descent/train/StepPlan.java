package dev.descent.train;

import dev.descent.loss.BceWithLogitsLoss;
import dev.descent.loss.CrossEntropyLoss;
import dev.descent.loss.Loss;
import dev.descent.loss.MseLoss;
import dev.descent.loss.Reduction;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * A training step's forward and backward pass planned once for a chain of layers and a loss:
 * each layer runs its kernels on buffers kept from step to step, the gradients flow back through
 * the chain in reverse, and each parameter's gradient lands in a tensor the plan owns. No tensor,
 * graph node or topological sort is made per step, which for a model as small as a logistic
 * regression was nearly all of the time (and most of the code the JIT had to compile first).
 *
 * <p>Plannable: {@link Linear} and {@link ReLU} layers (alone or in {@link Sequential}s, nested
 * ones flattened) and {@link MseLoss} or {@link BceWithLogitsLoss} without weights, or
 * {@link CrossEntropyLoss} on class indices without class weights or smoothing; mean or sum.
 * The first layer must be a Linear (a ReLU on the data has no gradient to pass, and is rare).
 * {@link #compile} says why anything else is not.
 */
final class StepPlan {
    private final PlanLayer[] layers;
    private final PlanLoss loss;              // regression-style: float targets of the output's shape
    private final CrossEntropyLoss classes;   // or cross-entropy on class indices (then loss is null)
    private final PlanCrossEntropy crossEntropy;
    private final int inWidth, outWidth;
    private int capacity;
    private float[][] outputs, gradients;
    private float[] terms;

    private StepPlan(List<PlanLayer> layers, PlanLoss loss, CrossEntropyLoss classes) {
        this.layers = layers.toArray(new PlanLayer[0]);
        this.loss = loss;
        this.classes = classes;
        this.crossEntropy = classes == null ? null : new PlanCrossEntropy(classes.reduction() == Reduction.MEAN);
        this.inWidth = this.layers[0].inWidth();
        this.outWidth = this.layers[this.layers.length - 1].outWidth();
    }

    /** The plan for this model and loss, or an {@link IllegalArgumentException} saying what cannot be planned. */
    static StepPlan compile(Module model, Loss loss) {
        // instanceof chains rather than pattern switches: a pattern switch's first run generates
        // a class (SwitchBootstraps), a few milliseconds that the caller would wait for
        PlanLoss head = null;
        CrossEntropyLoss classes = null;
        if (loss instanceof MseLoss m && m.reduction() != Reduction.NONE) {
            head = new PlanLoss(false, m.reduction() == Reduction.MEAN);
        } else if (loss instanceof BceWithLogitsLoss b && b.posWeight() == null && b.weight() == null && b.reduction() != Reduction.NONE) {
            head = new PlanLoss(true, b.reduction() == Reduction.MEAN);
        } else if (loss instanceof CrossEntropyLoss c && c.weight() == null && c.labelSmoothing() == 0 && c.reduction() != Reduction.NONE) {
            classes = c;
        } else {
            throw new IllegalArgumentException("loss " + loss + " is not compiled (MSE, BCE-with-logits and cross-entropy without weights or"
                    + " smoothing, mean or sum, are)");
        }
        List<PlanLayer> layers = new ArrayList<>();
        int[] width = {-1};
        addLayers(model, layers, width);
        if (layers.isEmpty()) throw new IllegalArgumentException("model has no Linear layer");
        return new StepPlan(layers, head, classes);
    }

    private static void addLayers(Module m, List<PlanLayer> out, int[] width) {
        if (m instanceof Sequential s) {
            for (Module child : s.modules()) addLayers(child, out, width);
        } else if (m instanceof Linear l) {
            for (PlanLayer p : out) {
                // eager autograd adds the two uses' gradients; the plan gives each layer its own
                if (p instanceof PlanLinear pl && pl.isFor(l)) throw new IllegalArgumentException("a Linear layer is used twice (shared weights)");
            }
            if (width[0] >= 0 && width[0] != l.inFeatures()) {
                throw new IllegalArgumentException("Linear(" + l.inFeatures() + " -> " + l.outFeatures() + ") follows a layer of width " + width[0]);
            }
            out.add(new PlanLinear(l));
            width[0] = l.outFeatures();
        } else if (m instanceof ReLU) {
            if (width[0] < 0) throw new IllegalArgumentException("ReLU before any Linear layer is not compiled");
            out.add(new PlanRelu(width[0]));
        } else {
            throw new IllegalArgumentException("module " + m.getClass().getSimpleName() + " is not compiled (Linear and ReLU are)");
        }
    }

    int inWidth() {
        return inWidth;
    }

    int outWidth() {
        return outWidth;
    }

    /** The cross-entropy loss whose class indices this plan takes, or null when it takes float targets. */
    CrossEntropyLoss classIndexLoss() {
        return classes;
    }

    /**
     * Forward and backward for {@code rows} rows of input x and either float targets y
     * (row-major, of the output's width) or class indices {@code labels} (one per row, for a
     * cross-entropy plan); leaves each parameter's gradient in its {@code grad()} and returns the loss.
     */
    float run(float[] x, float[] y, int[] labels, int rows) {
        if (rows > capacity) grow(rows);
        int last = layers.length - 1;
        float[] in = x;
        for (int i = 0; i <= last; i++) {
            layers[i].forward(in, outputs[i], rows);
            in = outputs[i];
        }
        float value = loss != null ? loss.lossAndGradient(outputs[last], y, gradients[last], terms, rows * outWidth)
                : crossEntropy.lossAndGradient(outputs[last], labels, gradients[last], rows, outWidth);
        for (int i = last; i >= 0; i--) {
            // The first layer is a Linear on the data, whose gradient nothing needs (nor does eager make it).
            float[] layerIn = i == 0 ? x : outputs[i - 1];
            layers[i].backward(layerIn, gradients[i], i == 0 ? null : gradients[i - 1], rows);
            layers[i].attachGradients();
        }
        return value;
    }

    /** Buffers for at least this many rows, grown (never shrunk) so that a smaller last batch reuses them. */
    private void grow(int rows) {
        outputs = new float[layers.length][];
        gradients = new float[layers.length][];
        for (int i = 0; i < layers.length; i++) {
            outputs[i] = new float[rows * layers[i].outWidth()];
            gradients[i] = new float[rows * layers[i].outWidth()];
        }
        terms = new float[rows * outWidth];
        capacity = rows;
    }
}
