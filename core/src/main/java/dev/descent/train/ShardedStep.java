package dev.descent.train;

import dev.descent.data.Batch;
import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.tensor.DType;
import dev.descent.tensor.Generator;
import dev.descent.tensor.CapturedStep;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The gradient part of one sharded step (see {@link Trainer#shards}): the global batch's rows
 * split into S equal shards, each shard's mean-loss gradient by the ordinary forward and
 * backward, the shards combined by the {@link ShardTree} through a {@link GradientReducer}, then
 * multiplied by 1/S (exact: S is a power of two). Afterwards every parameter's gradient holds the
 * combined one, ready for the optimizer (clipping, schedule and update act on it).
 *
 * <p>What travels per shard is one float32 vector: the gradients of the optimizer's parameters
 * (zeros for one the shard's loss did not reach), then every float32 buffer of the model as the
 * shard's forward left it, then one reach flag per parameter (1 when the shard's loss reached it,
 * else 0), then the shard's loss. So the same tree defines four things:
 *
 * <ul>
 *   <li>the gradient: tree-mean of the shard gradients;
 *   <li>the buffers (batch norm's running statistics): each shard starts from the buffers as
 *       they were before the step, and the step ends with the tree-mean of the shards' updated
 *       buffers. With momentum m this is {@code (1 - m) r + m mean_s(batch statistic_s)}, what a
 *       DDP replica without SyncBatchNorm would compute on average; {@code num_batches_tracked}
 *       advances by one per step, not per shard;
 *   <li>which parameters get a gradient: a parameter no shard reached (its flags sum to 0) gets
 *       none, so the optimizer leaves it alone (no weight decay, momentum or Adam step), as in
 *       the plain step; one that some shard reached gets the tree-mean, with zeros from the
 *       shards that did not (as PyTorch's DDP with {@code find_unused_parameters=True}: a
 *       locally unused parameter contributes zeros, a globally unused one keeps its gradient
 *       untouched);
 *   <li>the step's reported loss: tree-mean of the shard losses.
 * </ul>
 *
 * Random draws (dropout) come from a generator keyed by (seed, step, shard), so a shard draws
 * the same masks whoever computes it.
 */
final class ShardedStep {
    private final Module model;
    private final Loss loss;
    private final List<Tensor> params;
    private final List<Tensor> buffers = new ArrayList<>();
    private final GradientReducer reducer;
    private final int shards;
    private final int first;
    private final int end;
    private final long seed;
    private final boolean reuseMemory;
    private final int length;
    /** Where the parameters' reach flags start in a shard's vector. */
    private final int flags;
    /** Each shard's forward and backward, captured and replayed (null: plain eager). */
    private final CapturedStep captured;

    ShardedStep(Module model, Loss loss, List<Tensor> params, GradientReducer reducer, int shards, long seed, boolean reuseMemory,
                boolean capture) {
        this.captured = capture ? CapturedStep.create() : null;
        this.model = model;
        this.loss = loss;
        this.params = params;
        this.reducer = reducer;
        this.shards = shards;
        this.seed = seed;
        this.reuseMemory = reuseMemory;
        int[] range = GradientReducer.range(reducer.rank(), reducer.parties(), shards);
        this.first = range[0];
        this.end = range[1];
        int n = 0;
        for (Tensor p : params) n += p.numel();
        for (Tensor b : model.namedBuffers().values()) {
            if (b.dtype() != DType.F32) {
                throw new IllegalArgumentException("sharded steps average float32 buffers; this model has a " + b.dtype() + " buffer");
            }
            buffers.add(b);
            n += b.numel();
        }
        this.flags = n;
        this.length = n + params.size() + 1;
    }

    /** The generator shard {@code shard} of step {@code step} draws from (dropout masks). */
    static Generator generator(long seed, long step, int shard) {
        long key = seed;
        key = key * 0x9E3779B97F4A7C15L + step;
        key = key * 0x9E3779B97F4A7C15L + shard;
        return Generator.seeded(key);
    }

    /**
     * Computes this participant's shards of {@code batch}, reduces with the others, and leaves the
     * combined gradient in the parameters and the combined buffers in the model.
     *
     * @param step the number of optimizer steps taken before this one (the dropout key)
     * @return the step's loss, the tree-mean of the shard losses
     */
    double run(Batch batch, long step) {
        int rows = batch.size();
        if (rows % shards != 0) {
            throw new IllegalArgumentException("a batch of " + rows + " rows does not split into " + shards + " equal shards");
        }
        int per = rows / shards;
        float[][] before = new float[buffers.size()][];
        for (int i = 0; i < before.length; i++) before[i] = buffers.get(i).data().clone();
        List<ShardTree.Node> mine = ShardTree.nodes(first, end, s -> leaf(batch, s, per, step, before));
        float[] root = reducer.allReduce(step, shards, mine);
        float inverse = 1f / shards;
        int at = 0;
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            if (root[flags + k] == 0) { // no shard's loss reached it: no gradient, as in the plain step
                p.zeroGrad();
                at += p.numel();
                continue;
            }
            float[] g = new float[p.numel()];
            for (int i = 0; i < g.length; i++) g[i] = root[at + i] * inverse;
            at += g.length;
            p.setGrad(Tensor.of(g, p.shape()));
        }
        for (Tensor b : buffers) {
            float[] d = b.data();
            for (int i = 0; i < d.length; i++) d[i] = root[at + i] * inverse;
            at += d.length;
        }
        return root[at] * inverse;
    }

    /** Shard {@code s}'s vector: its gradients, the buffers after its forward, its loss. */
    private float[] leaf(Batch batch, int s, int per, long step, float[][] before) {
        for (int i = 0; i < before.length; i++) System.arraycopy(before[i], 0, buffers.get(i).data(), 0, before[i].length);
        for (Tensor p : params) p.zeroGrad();
        model.setGenerator(generator(seed, step, s));
        float[] out = new float[length];
        Tensor x = batch.features().narrow(0, s * per, per).contiguous();
        Tensor y = batch.targets().narrow(0, s * per, per).contiguous();
        // the shard's gradients are read below, before the next shard's step begins
        try (var session = captured == null ? null : captured.begin(CapturedStep.signature(x, y))) {
            Tensor l = loss.apply(model.forward(x), y);
            out[length - 1] = (float) l.item();
            l.backward();
        }
        int at = 0;
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            Tensor g = p.grad();
            if (g != null) {
                out[flags + k] = 1;
                System.arraycopy(g.contiguous().toFloatArray(), 0, out, at, p.numel());
                p.zeroGrad();
                if (reuseMemory) g.release();
            }
            at += p.numel();
        }
        for (Tensor b : buffers) {
            System.arraycopy(b.data(), 0, out, at, b.numel());
            at += b.numel();
        }
        return out;
    }

    /** Gives up the captured shards' storage (the end of a fit). */
    void close() {
        if (captured != null) captured.close();
    }
}
