package dev.descent.interop.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.descent.interop.proto.ProtoReader;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SummariesTest {
    private static ProtoReader histo(float[] values, int buckets) {
        return ProtoReader.parse(Summaries.histogram("h", values, buckets).toByteArray()).message(1).message(5);
    }

    /** Bucket i counts (limit[i-1], limit[i]]; the first also takes the minimum itself. */
    @Test
    void histogramCountsEveryFiniteValueOnce() {
        float[] v = {0, 1, 2, 3, 4, 4, Float.NaN, Float.POSITIVE_INFINITY};
        ProtoReader h = histo(v, 4);
        assertEquals(0, h.doubleValue(1));
        assertEquals(4, h.doubleValue(2));
        assertEquals(6, h.doubleValue(3), "NaN and infinity are left out");
        assertEquals(14, h.doubleValue(4));
        assertEquals(46, h.doubleValue(5));
        assertArrayEquals(new double[] {1, 2, 3, 4}, h.doubles(6));
        assertArrayEquals(new double[] {2, 1, 1, 2}, h.doubles(7));
    }

    @Test
    void constantValuesMakeOneBucketAndNoFiniteValueNone() {
        float[] same = new float[5];
        Arrays.fill(same, 0.5f);
        ProtoReader h = histo(same, 30);
        assertArrayEquals(new double[] {0.5}, h.doubles(6));
        assertArrayEquals(new double[] {5}, h.doubles(7));
        assertNull(Summaries.histogram("h", new float[] {Float.NaN}, 30));
    }

    @Test
    void textIsAStringTensorForTheTextPlugin() {
        ProtoReader value = ProtoReader.parse(Summaries.text("config", "seed: 1").toByteArray()).message(1);
        assertEquals("config", value.string(1));
        assertEquals("text", value.message(9).message(1).string(1));
        ProtoReader tensor = value.message(8);
        assertEquals(Summaries.DT_STRING, tensor.varint(1));
        assertEquals("seed: 1", tensor.string(8));
    }
}
