package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;

/**
 * One transformer encoder block (Vaswani et al., "Attention Is All You Need", NeurIPS 2017), as
 * PyTorch's {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
 * activation, batch_first=True, norm_first)} on {@code [B, T, d_model]}:
 *
 * <pre>
 * post-norm (norm_first false):  x = norm1(x + sa(x));  x = norm2(x + ff(x))
 * pre-norm  (norm_first true):   x = x + sa(norm1(x));  x = x + ff(norm2(x))
 * sa(x) = dropout1(self_attn(x)),  ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))
 * </pre>
 *
 * with {@code activation} relu or gelu (the exact erf form) and layer norms of eps 1e-5. The
 * children carry PyTorch's names and order: {@code self_attn}, {@code linear1}, {@code dropout},
 * {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}. Pre-norm is
 * the form of GPT-2 and later models; it trains without warmup more readily (Xiong et al., "On
 * Layer Normalization in the Transformer Architecture", ICML 2020).
 */
public final class TransformerEncoderLayer extends Module {
    private final boolean normFirst;
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Module activation;

    private TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double p, String activation, boolean normFirst, Generator gen) {
        if (dimFeedforward <= 0) throw new IllegalArgumentException("TransformerEncoderLayer: dim_feedforward must be positive, got " + dimFeedforward);
        this.activation = switch (activation) {
            case "relu" -> Activations.relu();
            case "gelu" -> Activations.gelu();
            default -> throw new IllegalArgumentException("TransformerEncoderLayer: activation must be relu or gelu, got '" + activation + "'");
        };
        this.normFirst = normFirst;
        selfAttn = registerModule("self_attn", MultiheadAttention.of(dModel, nhead, gen));
        linear1 = registerModule("linear1", Linear.of(dModel, dimFeedforward, gen));
        dropout = registerModule("dropout", Dropout.of(p));
        linear2 = registerModule("linear2", Linear.of(dimFeedforward, dModel, gen));
        norm1 = registerModule("norm1", LayerNorm.of(dModel));
        norm2 = registerModule("norm2", LayerNorm.of(dModel));
        dropout1 = registerModule("dropout1", Dropout.of(p));
        dropout2 = registerModule("dropout2", Dropout.of(p));
    }

    /**
     * A layer of width {@code dModel} with {@code nhead} heads and a feed-forward block of
     * {@code dimFeedforward}, dropout {@code p}, activation {@code "relu"} or {@code "gelu"}.
     */
    public static TransformerEncoderLayer of(int dModel, int nhead, int dimFeedforward, double p, String activation, boolean normFirst,
                                             Generator gen) {
        return new TransformerEncoderLayer(dModel, nhead, dimFeedforward, p, activation, normFirst, gen);
    }

    public MultiheadAttention selfAttention() {
        return selfAttn;
    }

    /** Whether the norms come before the sublayers (pre-norm) or after the residual sums (post-norm). */
    public boolean normFirst() {
        return normFirst;
    }

    /** The feed-forward block's activation (ReLU, or GELU in its exact erf form). */
    public Module activation() {
        return activation;
    }

    public Linear linear1() { return linear1; }

    public Linear linear2() { return linear2; }

    public LayerNorm norm1() { return norm1; }

    public LayerNorm norm2() { return norm2; }

    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false, null);
    }

    /**
     * The block on {@code x [B, T, d_model]}; {@code causal}: position t attends 0..t only;
     * {@code keyPaddingMask}: null or [B, T], nonzero where a position is padding.
     */
    public Tensor forward(Tensor x, boolean causal, Tensor keyPaddingMask) {
        if (normFirst) {
            x = x.add(dropout1.forward(selfAttn.forward(norm1.forward(x), null, causal, keyPaddingMask)));
            return x.add(feedForward(norm2.forward(x)));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, null, causal, keyPaddingMask))));
        return norm2.forward(x.add(feedForward(x)));
    }

    private Tensor feedForward(Tensor x) {
        return dropout2.forward(linear2.forward(dropout.forward(activation.forward(linear1.forward(x)))));
    }

    @Override
    protected String extraRepr() {
        return "norm_first=" + normFirst;
    }
}
