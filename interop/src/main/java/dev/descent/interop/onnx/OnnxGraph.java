package dev.descent.interop.onnx;

import dev.descent.interop.proto.ProtoWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model being built: float32 and int64 initializers, nodes in execution order, one input
 * (float32, or int64 token ids) and named float32 outputs with a symbolic batch dimension (and a
 * symbolic {@code time} dimension where a shape says {@link #TIME}), and metadata; {@link #toBytes} serializes the
 * ModelProto (onnx.proto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7,
 * opset_import = 8, metadata_props = 14; GraphProto: node = 1, name = 2, initializer = 5,
 * input = 11, output = 12; NodeProto: input = 1, output = 2, name = 3, op_type = 4,
 * attribute = 5; AttributeProto: name = 1, f = 2, i = 3, s = 4, ints = 8, strings = 9, type = 20
 * (FLOAT 1, INT 2, STRING 3, INTS 7, STRINGS 8); TensorProto: dims = 1, data_type = 2 (FLOAT 1, INT64 7), name = 8, raw_data = 9
 * little-endian; ValueInfoProto: name = 1, type = 2; TypeProto.tensor_type = 1 with elem_type = 1
 * and shape = 2; TensorShapeProto.dim = 1 with dim_value = 1 or dim_param = 2).
 */
final class OnnxGraph {
    /** Opset 17: the first with LayerNormalization; ONNX Runtime 1.14 and later run it. */
    static final int OPSET = 17;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    static final int IR_VERSION = 8;
    static final String BATCH = "batch";
    /** A dimension of a declared shape that is the symbolic sequence length {@code "time"}. */
    static final int TIME = -1;
    static final int FLOAT = 1, INT64 = 7;

    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private ProtoWriter input;
    private int names;

    /** A fresh value name with a readable prefix. */
    String fresh(String prefix) {
        return prefix + "_" + names++;
    }

    /** The graph input, {@code [batch, shape...]}, of element type {@link #FLOAT} or {@link #INT64}. */
    void input(String name, int[] shape, int elementType) {
        input = valueInfo(name, shape, elementType);
    }

    /** A float32 graph output, {@code [batch, shape...]}. */
    void output(String name, int[] shape) {
        outputs.add(valueInfo(name, shape, FLOAT));
    }

    void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** A float32 initializer of the given shape; returns its name. */
    String constant(String prefix, float[] data, int... dims) {
        String name = fresh(prefix);
        byte[] raw = new byte[data.length * 4];
        for (int i = 0; i < data.length; i++) {
            int bits = Float.floatToRawIntBits(data[i]);
            for (int b = 0; b < 4; b++) raw[4 * i + b] = (byte) (bits >>> (8 * b));
        }
        initializers.add(tensor(name, FLOAT, dims, raw));
        return name;
    }

    /** A float32 scalar initializer. */
    String scalar(String prefix, double v) {
        return constant(prefix, new float[] {(float) v});
    }

    /** An int64 vector initializer (shapes for Reshape). */
    String longs(String prefix, long[] data) {
        String name = fresh(prefix);
        byte[] raw = new byte[data.length * 8];
        for (int i = 0; i < data.length; i++) for (int b = 0; b < 8; b++) raw[8 * i + b] = (byte) (data[i] >>> (8 * b));
        initializers.add(tensor(name, INT64, new int[] {data.length}, raw));
        return name;
    }

    /** An int64 scalar initializer (indices for Gather, bounds for Range). */
    String longScalar(String prefix, long v) {
        String name = fresh(prefix);
        byte[] raw = new byte[8];
        for (int b = 0; b < 8; b++) raw[b] = (byte) (v >>> (8 * b));
        initializers.add(tensor(name, INT64, new int[0], raw));
        return name;
    }

    /** A node; returns its single output's name. */
    String node(String op, List<String> in, Attribute... attributes) {
        String out = fresh(op.toLowerCase());
        nodeTo(op, in, out, attributes);
        return out;
    }

    /** A node writing a given output name. */
    void nodeTo(String op, List<String> in, String out, Attribute... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) n.string(1, i);
        n.string(2, out).string(3, fresh(op)).string(4, op);
        for (Attribute a : attributes) n.message(5, a.proto());
        nodes.add(n);
    }

    /** An attribute of a node. */
    record Attribute(ProtoWriter proto) {
        static Attribute ofInt(String name, long v) {
            return new Attribute(new ProtoWriter().string(1, name).varint(3, v).varint(20, 2));
        }

        static Attribute ofFloat(String name, double v) {
            return new Attribute(new ProtoWriter().string(1, name).floatField(2, (float) v).varint(20, 1));
        }

        static Attribute ofString(String name, String v) {
            return new Attribute(new ProtoWriter().string(1, name).string(4, v).varint(20, 3));
        }

        static Attribute ofStrings(String name, String... v) {
            ProtoWriter p = new ProtoWriter().string(1, name);
            for (String s : v) p.string(9, s);
            return new Attribute(p.varint(20, 8));
        }

        static Attribute ofInts(String name, int... v) {
            ProtoWriter p = new ProtoWriter().string(1, name);
            long[] l = new long[v.length];
            for (int i = 0; i < v.length; i++) l[i] = v[i];
            return new Attribute(p.packedVarints(8, l).varint(20, 7));
        }
    }

    byte[] toBytes(String graphName, String producerVersion) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : nodes) graph.message(1, n);
        graph.string(2, graphName);
        for (ProtoWriter t : initializers) graph.message(5, t);
        graph.message(11, input);
        for (ProtoWriter o : outputs) graph.message(12, o);
        ProtoWriter model = new ProtoWriter().varint(1, IR_VERSION).string(2, "descent").string(3, producerVersion).message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }

    private static ProtoWriter tensor(String name, int type, int[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        long[] d = new long[dims.length];
        for (int i = 0; i < dims.length; i++) d[i] = dims[i];
        if (d.length > 0) t.packedVarints(1, d);
        return t.varint(2, type).string(8, name).bytes(9, raw);
    }

    private static ProtoWriter valueInfo(String name, int[] shape, int elementType) {
        ProtoWriter dims = new ProtoWriter().message(1, new ProtoWriter().string(2, BATCH));
        for (int s : shape) dims.message(1, s == TIME ? new ProtoWriter().string(2, "time") : new ProtoWriter().varint(1, s));
        ProtoWriter tensorType = new ProtoWriter().varint(1, elementType).message(2, dims);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
