package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.List;

/**
 * A stack of {@link TransformerEncoderLayer}s applied in order, as PyTorch's
 * {@code nn.TransformerEncoder} without a final norm: the layers are named
 * {@code layers.0}, {@code layers.1}, ... ({@code layers.0.self_attn.in_proj_weight}, ...). With
 * {@code causal} every layer gets the causal mask (position t attends 0..t only), which a
 * language model needs so that a position cannot see the token it predicts.
 */
public final class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final boolean causal;

    private TransformerEncoder(List<TransformerEncoderLayer> layers, boolean causal) {
        if (layers.isEmpty()) throw new IllegalArgumentException("TransformerEncoder: needs at least one layer");
        this.layers = registerModule("layers", ModuleList.of(layers));
        this.causal = causal;
    }

    public static TransformerEncoder of(List<TransformerEncoderLayer> layers, boolean causal) {
        return new TransformerEncoder(layers, causal);
    }

    /** The layers in order. */
    public List<TransformerEncoderLayer> layers() {
        List<TransformerEncoderLayer> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) out.add((TransformerEncoderLayer) layers.get(i));
        return out;
    }

    public boolean causal() {
        return causal;
    }

    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** The stack on {@code x [B, T, d_model]}; {@code keyPaddingMask}: null or [B, T], nonzero at padding. */
    public Tensor forward(Tensor x, Tensor keyPaddingMask) {
        for (int i = 0; i < layers.size(); i++) x = ((TransformerEncoderLayer) layers.get(i)).forward(x, causal, keyPaddingMask);
        return x;
    }

    @Override
    protected String extraRepr() {
        return "num_layers=" + layers.size() + ", causal=" + causal;
    }
}
