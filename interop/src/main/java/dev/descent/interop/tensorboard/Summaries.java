package dev.descent.interop.tensorboard;

import dev.descent.interop.proto.ProtoWriter;
import java.nio.charset.StandardCharsets;

/**
 * The {@code tensorboard.Summary} messages Descent writes (summary.proto: Summary.value = 1;
 * Value.tag = 1, simple_value = 2, histo = 5, tensor = 8, metadata = 9; SummaryMetadata.plugin_data
 * = 1, PluginData.plugin_name = 1, content = 2). Each builder returns a whole Summary with one
 * value, ready for {@link EventFile#summary}.
 */
public final class Summaries {
    /** TensorFlow's DataType (types.proto): DT_FLOAT = 1, DT_STRING = 7. */
    static final int DT_FLOAT = 1, DT_STRING = 7;

    private Summaries() {}

    /** A point of a scalar curve (the Scalars tab), stored as a float32 {@code simple_value}. */
    public static ProtoWriter scalar(String tag, double value) {
        return one(new ProtoWriter().string(1, tag).floatField(2, (float) value));
    }

    /**
     * A histogram (the Histograms and Distributions tabs) of {@code values}: HistogramProto (min = 1,
     * max = 2, num = 3, sum = 4, sum_squares = 5, packed bucket_limit = 6 and bucket = 7, bucket i
     * counting values in (limit[i-1], limit[i]]) over {@code buckets} equal-width buckets from the
     * smallest value to the largest. Non-finite values are left out. Null when none is finite.
     */
    public static ProtoWriter histogram(String tag, float[] values, int buckets) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, squares = 0;
        int n = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) continue;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            squares += (double) v * v;
            n++;
        }
        if (n == 0) return null;
        int k = max > min ? buckets : 1;
        double width = (max - min) / k;
        double[] limits = new double[k], counts = new double[k];
        for (int i = 0; i < k; i++) limits[i] = i == k - 1 ? max : min + width * (i + 1);
        for (float v : values) {
            if (!Float.isFinite(v)) continue;
            int i = k == 1 ? 0 : (int) Math.min(k - 1, Math.floor((v - min) / width));
            // Floating rounding may put a value on the wrong side of its bucket's limit: move it back.
            while (i > 0 && v <= limits[i - 1]) i--;
            while (i < k - 1 && v > limits[i]) i++;
            counts[i]++;
        }
        ProtoWriter histo = new ProtoWriter().doubleField(1, min).doubleField(2, max).doubleField(3, n).doubleField(4, sum)
                .doubleField(5, squares).packedDoubles(6, limits).packedDoubles(7, counts);
        return one(new ProtoWriter().string(1, tag).message(5, histo));
    }

    /** Markdown text (the Text tab): a scalar DT_STRING tensor tagged for the "text" plugin. */
    public static ProtoWriter text(String tag, String markdown) {
        ProtoWriter tensor = new ProtoWriter().varint(1, DT_STRING).message(2, new ProtoWriter())
                .bytes(8, markdown.getBytes(StandardCharsets.UTF_8));
        return one(new ProtoWriter().string(1, tag).message(9, pluginMetadata("text", new byte[0])).message(8, tensor));
    }

    /**
     * A value for a plugin that keeps everything in its metadata (the HParams plugin): the
     * metadata and an empty float tensor of shape [0], as the plugin's own writer does.
     */
    static ProtoWriter pluginOnly(String tag, String plugin, byte[] content) {
        ProtoWriter shape = new ProtoWriter().message(2, new ProtoWriter().varint(1, 0));
        ProtoWriter tensor = new ProtoWriter().varint(1, DT_FLOAT).message(2, shape);
        return one(new ProtoWriter().string(1, tag).message(9, pluginMetadata(plugin, content)).message(8, tensor));
    }

    private static ProtoWriter pluginMetadata(String plugin, byte[] content) {
        return new ProtoWriter().message(1, new ProtoWriter().string(1, plugin).bytes(2, content));
    }

    private static ProtoWriter one(ProtoWriter value) {
        return new ProtoWriter().message(1, value);
    }
}
