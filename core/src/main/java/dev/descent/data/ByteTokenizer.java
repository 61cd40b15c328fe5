package dev.descent.data;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokens: the 256 values of the text's UTF-8 bytes, so every text can be encoded and
 * the vocabulary never needs fitting. Decoding replaces a byte sequence that is not valid UTF-8
 * (a sampled model may produce one) with U+FFFD.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final ByteTokenizer INSTANCE = new ByteTokenizer();

    private ByteTokenizer() {}

    @Override
    public String kind() {
        return "byte";
    }

    @Override
    public int vocabularySize() {
        return 256;
    }

    @Override
    public int[] encode(String text, String source) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xff;
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        byte[] b = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) b[i] = (byte) ids[i];
        return new String(b, StandardCharsets.UTF_8);
    }
}
