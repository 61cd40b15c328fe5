package dev.descent.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Random-access bytes to read a file format from: a file, or a buffer in memory (tests, jar
 * resources). Readers check every range against {@link #size()} before reading, so a source
 * only has to fail cleanly when the bytes it promised are not there (a file cut while read).
 */
interface ByteSource {

    /** Total number of bytes. */
    long size();

    /** Fills {@code dst} from its position to its limit with the bytes starting at {@code position}. */
    void readFully(long position, ByteBuffer dst) throws IOException;

    /** The bytes of {@code buffer} from its position to its limit (the buffer itself is not moved). */
    static ByteSource of(ByteBuffer buffer) {
        ByteBuffer view = buffer.slice();
        return new ByteSource() {
            @Override public long size() {
                return view.remaining();
            }

            @Override public void readFully(long position, ByteBuffer dst) {
                dst.put(view.slice(Math.toIntExact(position), dst.remaining()));
            }
        };
    }

    /** The bytes of an open file channel; {@code name} is used in the error for a shrunken file. */
    static ByteSource of(FileChannel channel, String name) throws IOException {
        long size = channel.size();
        return new ByteSource() {
            @Override public long size() {
                return size;
            }

            @Override public void readFully(long position, ByteBuffer dst) throws IOException {
                long p = position;
                while (dst.hasRemaining()) {
                    int n = channel.read(dst, p);
                    if (n < 0) throw new MalformedFileException(name, "file ended at byte " + p + " while reading; was it truncated while being read?");
                    p += n;
                }
            }
        };
    }
}
