package dev.descent.interop.tensorboard;

import dev.descent.interop.proto.ProtoWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>} in a run
 * directory (numbers zero-padded, so names sort in the order the files were made: TensorBoard
 * reads a directory's files in name order and follows only the newest as it grows): a sequence of records, each {@code uint64 length, uint32 masked CRC32C of the length,
 * data, uint32 masked CRC32C of the data} (little-endian; TensorFlow's TFRecord format), where
 * data is a serialized {@code tensorboard.Event} (event.proto: wall_time = 1, step = 2,
 * file_version = 3, summary = 5). The first event names the format version, "brain.Event:2".
 *
 * <p>Every {@link #write} is flushed, so a TensorBoard pointed at the directory shows the run
 * while it trains. The file grows in place (TensorBoard reads it as it grows); a run that is
 * killed leaves at most a torn last record, which TensorBoard skips.
 */
public final class EventFile implements Closeable {
    /** Masking of stored CRCs (TFRecord): rotate right by 15 and add this constant. */
    private static final int MASK_DELTA = 0xa282ead8;
    private static final AtomicInteger FILES = new AtomicInteger();

    private final Path file;
    private final OutputStream out;

    private EventFile(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /** Creates the directory if needed and a new event file in it, headed by the version event. */
    public static EventFile create(Path dir) throws IOException {
        Files.createDirectories(dir);
        double now = System.currentTimeMillis() / 1000.0;
        String name = String.format(Locale.ROOT, "events.out.tfevents.%010d.%s.%d.%06d", (long) now, host(), ProcessHandle.current().pid(),
                FILES.getAndIncrement());
        EventFile f = new EventFile(dir.resolve(name));
        f.write(new ProtoWriter().doubleField(1, now).varint(2, 0).string(3, "brain.Event:2"));
        return f;
    }

    public Path path() {
        return file;
    }

    /** Writes one event holding {@code summary} (a serialized {@code tensorboard.Summary}) at the step. */
    public void summary(long step, ProtoWriter summary) throws IOException {
        write(new ProtoWriter().doubleField(1, System.currentTimeMillis() / 1000.0).varint(2, step).message(5, summary));
    }

    /**
     * Marks a restart at {@code step}: an Event with session_log (= 7) holding SessionLog.status
     * START (= 1). TensorBoard then drops the points of this run at {@code step} and later that
     * earlier files hold, which a resumed run writes again.
     */
    public void restartAt(long step) throws IOException {
        write(new ProtoWriter().doubleField(1, System.currentTimeMillis() / 1000.0).varint(2, step).message(7, new ProtoWriter().varint(1, 1)));
    }

    /** Writes one serialized event as a record and flushes it. */
    public void write(ProtoWriter event) throws IOException {
        byte[] data = event.toByteArray();
        byte[] length = new byte[8];
        long n = data.length;
        for (int i = 0; i < 8; i++) length[i] = (byte) (n >>> (8 * i));
        out.write(length);
        writeInt(maskedCrc(length));
        out.write(data);
        writeInt(maskedCrc(data));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** TFRecord's masked CRC32C: a CRC stored next to data that itself holds CRCs stays distinguishable. */
    static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private void writeInt(int v) throws IOException {
        for (int i = 0; i < 4; i++) out.write((v >>> (8 * i)) & 0xFF);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "localhost";
        }
    }
}
