package dev.descent.interop.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.interop.proto.ProtoReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record framing TensorBoard reads (TFRecord) and the Event fields, read back independently. */
class EventFileTest {
    @TempDir Path dir;

    /** Reads every record of an event file, checking both masked CRCs; each record's data parsed as an Event. */
    static List<ProtoReader> events(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<ProtoReader> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] length = new byte[8];
            b.get(length);
            assertEquals(EventFile.maskedCrc(length), b.getInt(), "length CRC of record " + out.size());
            byte[] data = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            b.get(data);
            assertEquals(EventFile.maskedCrc(data), b.getInt(), "data CRC of record " + out.size());
            out.add(ProtoReader.parse(data));
        }
        return out;
    }

    /**
     * CRC32C's published check value (of "123456789") is 0xE3069283; TFRecord stores it rotated
     * right by 15 bits plus 0xa282ead8.
     */
    @Test
    void masksCrc32cAsTfRecordDoes() {
        int crc = 0xE3069283;
        int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
        assertEquals(masked, EventFile.maskedCrc("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void startsWithTheVersionEventAndFramesEverySummary() throws IOException {
        Path file;
        try (EventFile f = EventFile.create(dir.resolve("run"))) {
            f.summary(7, Summaries.scalar("train/loss", 0.25));
            file = f.path();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<ProtoReader> events = events(file);
        assertEquals(2, events.size());
        assertEquals("brain.Event:2", events.get(0).string(3));
        ProtoReader scalar = events.get(1);
        assertEquals(7, scalar.varint(2));
        ProtoReader value = scalar.message(5).message(1);
        assertEquals("train/loss", value.string(1));
        assertEquals(0.25f, value.floatValue(2));
    }

    @Test
    void namesSortInCreationOrder() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            try (EventFile f = EventFile.create(dir)) {
                names.add(f.path().getFileName().toString());
            }
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(names, sorted);
    }
}
