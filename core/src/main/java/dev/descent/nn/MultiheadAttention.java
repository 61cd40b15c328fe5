package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Multi-head self-attention (Vaswani et al., "Attention Is All You Need", NeurIPS 2017), as
 * PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)} called with
 * query = key = value and {@code need_weights=False}. For input {@code x [B, T, E]} and
 * {@code H} heads of size {@code d = E / H}:
 *
 * <pre>
 * [Q K V] = x in_proj_weight^T + in_proj_bias          (rows of in_proj_weight: query, key, value)
 * head_h  = softmax(Q_h K_h^T / sqrt(d) + mask) V_h    (Tensor.scaledDotProductAttention)
 * y       = concat(head_1 .. head_H) out_proj.weight^T + out_proj.bias
 * </pre>
 *
 * Parameters carry PyTorch's names: {@code in_proj_weight [3E, E]}, {@code in_proj_bias [3E]},
 * {@code out_proj.weight [E, E]}, {@code out_proj.bias [E]} (no biases when {@code bias} is
 * false). Initialization is PyTorch's: in_proj_weight Xavier-uniform, biases 0, out_proj.weight
 * as a linear layer's.
 */
public final class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final boolean bias;
    private final Linear outProj;

    private MultiheadAttention(int embedDim, int numHeads, boolean bias, Generator gen) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim " + embedDim + " must be a positive multiple of num_heads " + numHeads);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.bias = bias;
        Init.xavierUniform(registerParameter("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim)), 1.0, gen);
        if (bias) registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim));
        outProj = registerModule("out_proj", Linear.of(embedDim, embedDim, bias, gen));
        if (bias) Init.zeros(outProj.bias());
    }

    /** Self-attention over {@code embedDim} features with {@code numHeads} heads, with biases. */
    public static MultiheadAttention of(int embedDim, int numHeads, Generator gen) {
        return new MultiheadAttention(embedDim, numHeads, true, gen);
    }

    public static MultiheadAttention of(int embedDim, int numHeads, boolean bias, Generator gen) {
        return new MultiheadAttention(embedDim, numHeads, bias, gen);
    }

    public int embedDim() { return embedDim; }

    public int numHeads() { return numHeads; }

    /** Whether the projections have biases. */
    public boolean bias() { return bias; }

    /** The output projection {@code out_proj}. */
    public Linear outProj() { return outProj; }

    @Override
    public boolean keepsActivations() {
        return false;
    }

    /** Self-attention without masks. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, false, null);
    }

    /**
     * Self-attention of {@code x [B, T, E]}.
     *
     * @param attnMask       null or an additive float mask [T, T] (PyTorch's float attn_mask; -inf hides)
     * @param causal         query t attends keys 0..t only (the mask {@code generate_square_subsequent_mask(T)})
     * @param keyPaddingMask null or [B, T] with nonzero where a key is padding (PyTorch's boolean key_padding_mask)
     */
    public Tensor forward(Tensor x, Tensor attnMask, boolean causal, Tensor keyPaddingMask) {
        if (x.dim() != 3 || x.size(2) != embedDim) {
            throw new IllegalArgumentException("MultiheadAttention(" + embedDim + "): input of shape " + Arrays.toString(x.shape())
                    + " is not [batch, time, " + embedDim + "]");
        }
        int b = x.size(0), t = x.size(1), d = embedDim / numHeads;
        Tensor qkv = x.linear(parameter("in_proj_weight"), bias ? parameter("in_proj_bias") : null);
        Tensor q = heads(qkv.narrow(2, 0, embedDim), b, t, d);
        Tensor k = heads(qkv.narrow(2, embedDim, embedDim), b, t, d);
        Tensor v = heads(qkv.narrow(2, 2 * embedDim, embedDim), b, t, d);
        Tensor mask = combinedMask(attnMask, keyPaddingMask, b, t, x);
        Tensor o = q.scaledDotProductAttention(k, v, mask, causal);
        Tensor merged = o.permute(0, 2, 1, 3).contiguous().reshape(b, t, embedDim);
        return outProj.forward(merged);
    }

    /** [B, T, E] to [B, H, T, d], left a permuted view: the attention reads its heads in place, without a second copy. */
    private Tensor heads(Tensor part, int b, int t, int d) {
        return part.reshape(b, t, numHeads, d).permute(0, 2, 1, 3);
    }

    /** The additive mask [B or 1, 1, T or 1, T] of an attention mask and a key padding mask, or null. */
    private static Tensor combinedMask(Tensor attnMask, Tensor keyPaddingMask, int b, int t, Tensor like) {
        Tensor mask = null;
        if (attnMask != null) {
            if (!Arrays.equals(attnMask.shape(), new int[] {t, t})) {
                throw new IllegalArgumentException("MultiheadAttention: attn_mask of shape " + Arrays.toString(attnMask.shape()) + ", expected [" + t + ", " + t + "]");
            }
            mask = attnMask.detach().reshape(1, 1, t, t);
        }
        if (keyPaddingMask != null) {
            if (!Arrays.equals(keyPaddingMask.shape(), new int[] {b, t})) {
                throw new IllegalArgumentException("MultiheadAttention: key_padding_mask of shape " + Arrays.toString(keyPaddingMask.shape())
                        + ", expected [" + b + ", " + t + "]");
            }
            double[] m = keyPaddingMask.toDoubleArray();
            double[] add = new double[m.length];
            for (int i = 0; i < m.length; i++) add[i] = m[i] != 0 ? Double.NEGATIVE_INFINITY : 0;
            Tensor pad = Tensor.of(add, b, 1, 1, t);
            pad = like.dtype() == dev.descent.tensor.DType.F64 ? pad : pad.toF32();
            mask = mask == null ? pad : mask.add(pad);
        }
        if (mask != null && mask.dtype() != like.dtype()) mask = like.dtype() == dev.descent.tensor.DType.F64 ? mask.toF64() : mask.toF32();
        return mask;
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + ", bias=" + bias;
    }
}
