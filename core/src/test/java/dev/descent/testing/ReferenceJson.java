package dev.descent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the PyTorch reference fixtures (copied from ../shared/reference into
 * src/test/resources/reference) and turns their {@code {"shape": [...], "data": [...]}} objects,
 * data flat in row-major order, into tensors.
 */
public final class ReferenceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceJson() {}

    /** The parsed fixture at a class-path resource, e.g. {@code "reference/layers.json"}. */
    public static JsonNode load(String resource) {
        try (InputStream in = ReferenceJson.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("test resource " + resource + " not found on the class path");
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + resource, e);
        }
    }

    /** A float32 tensor from a {shape, data} node. */
    public static Tensor tensor(JsonNode node) {
        int[] shape = shape(node);
        JsonNode data = node.get("data");
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) data.get(i).asDouble();
        return Tensor.of(v, shape);
    }

    /** A float64 tensor from a {shape, data} node (the stored float32 values, widened exactly). */
    public static Tensor tensor64(JsonNode node) {
        int[] shape = shape(node);
        JsonNode data = node.get("data");
        double[] v = new double[data.size()];
        for (int i = 0; i < v.length; i++) v[i] = data.get(i).asDouble();
        return Tensor.of(v, shape);
    }

    private static int[] shape(JsonNode node) {
        if (node == null || !node.has("shape") || !node.has("data")) {
            throw new IllegalArgumentException("not a {shape, data} tensor node: " + node);
        }
        JsonNode s = node.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        return shape;
    }
}
