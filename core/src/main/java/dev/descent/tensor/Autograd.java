package dev.descent.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode engine. Walks the recorded graph from an output back to the leaves in reverse
 * topological order, so each node's rule runs once, after every gradient flowing into it has
 * been summed. Leaves receive their gradient by accumulation ({@link Tensor#grad()} += g).
 * Derivative rules run with recording disabled: Descent computes first derivatives only.
 */
final class Autograd {
    private Autograd() {}

    static void backward(Tensor root, Tensor gradOutput) {
        if (!java.util.Arrays.equals(root.shape, gradOutput.shape)) {
            throw new ShapeException("backward: output gradient of shape " + Shapes.format(gradOutput.shape)
                    + " for a tensor of shape " + Shapes.format(root.shape));
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require gradients (no input of its computation"
                    + " was marked with requireGrad(), or it was computed under GradMode.noGrad())");
        }
        try (var scope = GradMode.noGrad()) {
            if (root.node == null) {
                root.accumulateGrad(gradOutput, false);
                return;
            }
            List<Tensor> order = topologicalOrder(root);
            // Sized to the graph (at most one entry per node): the default table is sized for 21
            // entries, which a small model's step (a logistic regression: 3 nodes) allocates for nothing.
            Map<Tensor, Tensor> pending = new IdentityHashMap<>(order.size());
            // Pending gradients that no one else holds: views of them may be handed on without copying.
            Map<Tensor, Boolean> exclusive = new IdentityHashMap<>(order.size());
            pending.put(root, gradOutput);
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = pending.remove(t);
                if (g == null) continue;
                boolean incomingExclusive = exclusive.remove(t) == Boolean.TRUE;
                Node node = t.node;
                Tensor[] inputGrads = node.backward().apply(g);
                if (incomingExclusive) recycleIfDead(g, inputGrads);
                Tensor[] inputs = node.inputs();
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    if (in == null || !in.requiresGrad() || inputGrads[k] == null) continue;
                    Tensor gk = inputGrads[k];
                    if (!java.util.Arrays.equals(gk.shape, in.shape)) {
                        throw new IllegalStateException("internal: rule of " + node.op() + " returned a gradient of shape "
                                + Shapes.format(gk.shape) + " for input " + k + " of shape " + Shapes.format(in.shape));
                    }
                    boolean owned = owned(gk, g, incomingExclusive, inputGrads, k);
                    if (in.node == null) {
                        in.accumulateGrad(gk, owned);
                    } else if (pending.containsKey(in)) {
                        pending.put(in, Ops.add(pending.get(in), gk));
                        exclusive.put(in, Boolean.TRUE);
                    } else {
                        pending.put(in, gk);
                        exclusive.put(in, owned);
                    }
                }
            }
        }
    }

    /**
     * Whether input k's gradient may become a leaf's .grad without a copy: rules return either
     * fresh storage or views of their incoming gradient, so a gradient owns its storage unless it
     * shares it with another input's gradient of the same rule, or with the incoming gradient
     * while that one is held elsewhere too (the caller's output gradient, or one sent to several
     * inputs).
     */
    private static boolean owned(Tensor gk, Tensor incoming, boolean incomingExclusive, Tensor[] inputGrads, int k) {
        Object storage = storageOf(gk);
        if (storage == storageOf(incoming) && !incomingExclusive) return false;
        for (int j = 0; j < inputGrads.length; j++) {
            if (j != k && inputGrads[j] != null && storageOf(inputGrads[j]) == storage) return false;
        }
        return true;
    }

    /**
     * Gives the incoming gradient's storage to {@link StoragePool} once its rule has run: it is
     * exclusive (no user code and no other pending gradient holds it), whole (not a view into a
     * larger array), and the rule handed none of it on. Rules keep nothing after they return
     * (derivatives are first-order; no graph is recorded here), so nothing can read it again.
     */
    private static void recycleIfDead(Tensor g, Tensor[] inputGrads) {
        if (!g.isWholeF32()) return;
        for (Tensor gk : inputGrads) {
            if (gk != null && storageOf(gk) == g.f) return;
        }
        StoragePool.give(g.f);
    }

    private static Object storageOf(Tensor t) {
        return t.dtype == DType.F32 ? t.f : t.d;
    }

    /** Non-leaf tensors reachable from root, each after all of its inputs (iterative DFS). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.node.inputs();
            boolean pushed = false;
            while (next < inputs.length) {
                Tensor in = inputs[next++];
                if (in != null && in.node != null && in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) {
                    frame[1] = next;
                    stack.push(new Object[] {in, 0});
                    pushed = true;
                    break;
                }
            }
            if (!pushed) {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
