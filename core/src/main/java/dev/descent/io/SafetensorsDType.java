package dev.descent.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The safetensors element types Descent reads, each with its size and its conversion to float32
 * (Descent tensors are float32). Exact conversions: F32, F16, BF16, I16, I8, U16, U8, BOOL.
 * Rounded to the nearest float32: F64 (magnitudes beyond float range become infinite), I64, I32,
 * U64, U32 (integers beyond 2^24 in magnitude lose their low bits).
 */
enum SafetensorsDType {
    F32(4) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            src.asFloatBuffer().get(dst, at, count); // bulk copy: the common case must be fast
            src.position(src.position() + 4 * count);
            return -1;
        }
    },
    F64(8) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = (float) src.getDouble();
            return -1;
        }
    },
    F16(2) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = Float.float16ToFloat(src.getShort());
            return -1;
        }
    },
    BF16(2) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            // bfloat16 is the upper half of a float32, so widening is a shift.
            for (int i = 0; i < count; i++) dst[at + i] = Float.intBitsToFloat((src.getShort() & 0xffff) << 16);
            return -1;
        }
    },
    I64(8) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = (float) src.getLong();
            return -1;
        }
    },
    I32(4) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = (float) src.getInt();
            return -1;
        }
    },
    I16(2) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = src.getShort();
            return -1;
        }
    },
    I8(1) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = src.get();
            return -1;
        }
    },
    U64(8) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) {
                long v = src.getLong();
                // Values >= 2^63 read as negative longs: halve (keeping the lowest bit as a sticky
                // bit so rounding stays correct), convert, double.
                dst[at + i] = v >= 0 ? (float) v : 2f * (float) ((v >>> 1) | (v & 1));
            }
            return -1;
        }
    },
    U32(4) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = (float) (src.getInt() & 0xffff_ffffL);
            return -1;
        }
    },
    U16(2) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = src.getShort() & 0xffff;
            return -1;
        }
    },
    U8(1) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) dst[at + i] = src.get() & 0xff;
            return -1;
        }
    },
    BOOL(1) {
        @Override int decode(ByteBuffer src, float[] dst, int at, int count) {
            for (int i = 0; i < count; i++) {
                byte b = src.get();
                // Only 0 and 1 are booleans; PyTorch gives undefined results for other bytes,
                // so a different byte means the file is damaged.
                if (b != 0 && b != 1) return i;
                dst[at + i] = b;
            }
            return -1;
        }
    };

    /** Bytes per element. */
    final int size;

    SafetensorsDType(int size) {
        this.size = size;
    }

    /**
     * Converts {@code count} little-endian elements from {@code src} (advancing it) into
     * {@code dst[at..]}. Returns -1, or for BOOL the index (from 0) of the first byte that is
     * neither 0 nor 1.
     */
    abstract int decode(ByteBuffer src, float[] dst, int at, int count);

    /** The dtype with this safetensors name, or null when Descent does not read it. */
    static SafetensorsDType byName(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }

    /** The names of all readable dtypes, for error messages. */
    static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
