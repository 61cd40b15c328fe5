package dev.descent.interop.onnx;

import dev.descent.interop.onnx.OnnxGraph.Attribute;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.MultiheadAttention;
import dev.descent.nn.PositionalEmbedding;
import dev.descent.nn.TransformerEncoder;
import dev.descent.nn.TransformerEncoderLayer;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The sequence layers on {@code [batch, time, features]} values as ONNX nodes, for
 * {@link OnnxExport}. The sequence length stays symbolic: every shape is taken from the value
 * at run time ({@code Shape}, {@code Reshape} with 0 = keep that dimension).
 *
 * <ul>
 *   <li>learned positions: {@code x + Slice(weight, 0, T)} on the first axis;
 *   <li>self-attention decomposed as in {@link MultiheadAttention}: Q, K, V each a MatMul by its
 *       third of {@code in_proj_weight^T} plus bias; heads by Reshape {@code [B, T, H, d]} and
 *       Transpose; {@code softmax(Q K^T / sqrt(d) + mask)} over the keys; the heads merged back
 *       and {@code out_proj};
 *   <li>the causal mask {@code -inf} where key j &gt; query i, 0 elsewhere, built from
 *       {@code Range(T)}: exp(-inf) is exactly 0, so the masked keys drop out of the softmax as
 *       they drop out of Descent's (which skips them), and every row keeps its own key, so no row
 *       is all -inf;
 *   <li>an encoder layer in its post-norm or pre-norm form, dropout the identity;
 *   <li>last_step as {@code Gather(x, -1, axis 1)}, mean_pool as {@code ReduceMean(axes [1])}.
 * </ul>
 */
final class SequenceGraph {
    private final OnnxGraph g;
    private final Function<Tensor, String> weight;
    /** Exports a plain layer (Linear, LayerNorm, an activation) applied to a value of rank 3. */
    private final BiFunction<Module, String, String> layer;

    SequenceGraph(OnnxGraph g, Function<Tensor, String> weight, BiFunction<Module, String, String> layer) {
        this.g = g;
        this.weight = weight;
        this.layer = layer;
    }

    String positional(PositionalEmbedding p, String x) {
        String time = g.node("Shape", List.of(x), Attribute.ofInt("start", 1), Attribute.ofInt("end", 2));
        String zero = g.longs("zero", new long[] {0});
        String rows = g.node("Slice", List.of(weight.apply(p.namedParameters().get("weight")), zero, time, zero));
        return g.node("Add", List.of(x, rows));
    }

    String encoder(TransformerEncoder e, String x) {
        String mask = e.causal() ? causalMask(x) : null;
        for (TransformerEncoderLayer l : e.layers()) x = encoderLayer(l, x, mask);
        return x;
    }

    String encoderLayer(TransformerEncoderLayer l, String x, String mask) {
        if (l.normFirst()) {
            x = g.node("Add", List.of(x, attention(l.selfAttention(), layer.apply(l.norm1(), x), mask)));
            return g.node("Add", List.of(x, feedForward(l, layer.apply(l.norm2(), x))));
        }
        x = layer.apply(l.norm1(), g.node("Add", List.of(x, attention(l.selfAttention(), x, mask))));
        return layer.apply(l.norm2(), g.node("Add", List.of(x, feedForward(l, x))));
    }

    private String feedForward(TransformerEncoderLayer l, String x) {
        return layer.apply(l.linear2(), layer.apply(l.activation(), layer.apply(l.linear1(), x)));
    }

    /** Self-attention of x [B, T, E]; mask: null or an additive [T, T]. */
    String attention(MultiheadAttention m, String x, String mask) {
        int e = m.embedDim(), h = m.numHeads(), d = e / h;
        Tensor w = m.namedParameters().get("in_proj_weight");
        Tensor b = m.bias() ? m.namedParameters().get("in_proj_bias") : null;
        String split = g.longs("heads_shape", new long[] {0, 0, h, d});
        String[] qkv = new String[3];
        for (int part = 0; part < 3; part++) {
            String y = g.node("MatMul", List.of(x, weight.apply(w.narrow(0, part * e, e).transpose(0, 1))));
            if (b != null) y = g.node("Add", List.of(y, weight.apply(b.narrow(0, part * e, e))));
            qkv[part] = g.node("Reshape", List.of(y, split));
        }
        String q = g.node("Transpose", List.of(qkv[0]), Attribute.ofInts("perm", 0, 2, 1, 3)); // [B, H, T, d]
        String kT = g.node("Transpose", List.of(qkv[1]), Attribute.ofInts("perm", 0, 2, 3, 1)); // [B, H, d, T]
        String v = g.node("Transpose", List.of(qkv[2]), Attribute.ofInts("perm", 0, 2, 1, 3));
        String scores = g.node("Mul", List.of(g.node("MatMul", List.of(q, kT)), g.scalar("scale", 1 / Math.sqrt(d))));
        if (mask != null) scores = g.node("Add", List.of(scores, mask));
        String p = g.node("Softmax", List.of(scores), Attribute.ofInt("axis", -1));
        String o = g.node("Transpose", List.of(g.node("MatMul", List.of(p, v))), Attribute.ofInts("perm", 0, 2, 1, 3)); // [B, T, H, d]
        String merged = g.node("Reshape", List.of(o, g.longs("merged_shape", new long[] {0, 0, e})));
        Linear out = m.outProj();
        return layer.apply(out, merged);
    }

    /** [T, T]: -inf where the key comes after the query, 0 elsewhere. */
    private String causalMask(String x) {
        String time = g.node("Gather", List.of(g.node("Shape", List.of(x)), g.longScalar("time_axis", 1)), Attribute.ofInt("axis", 0));
        String positions = g.node("Range", List.of(g.longScalar("start", 0), time, g.longScalar("delta", 1)));
        String queries = g.node("Unsqueeze", List.of(positions, g.longs("axis", new long[] {1}))); // [T, 1]
        String keys = g.node("Unsqueeze", List.of(positions, g.longs("axis", new long[] {0})));    // [1, T]
        String future = g.node("Greater", List.of(keys, queries));
        return g.node("Where", List.of(future, g.scalar("minus_inf", Double.NEGATIVE_INFINITY), g.scalar("zero", 0)));
    }

    String lastStep(String x) {
        return g.node("Gather", List.of(x, g.longScalar("last", -1)), Attribute.ofInt("axis", 1));
    }

    String meanPool(String x) {
        return g.node("ReduceMean", List.of(x), Attribute.ofInts("axes", 1), Attribute.ofInt("keepdims", 0));
    }
}
