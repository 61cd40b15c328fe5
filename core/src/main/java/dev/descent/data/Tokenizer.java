package dev.descent.data;

/**
 * Turns text into token ids and back, for language models. Ids are 0 .. {@link #vocabularySize()}
 * - 1. See {@link CharTokenizer} (one id per distinct character of a training text) and
 * {@link ByteTokenizer} (one id per UTF-8 byte, 256 ids, nothing to fit).
 */
public interface Tokenizer {
    /** "char" or "byte": what run.json records. */
    String kind();

    int vocabularySize();

    /**
     * The ids of {@code text}.
     *
     * @param source names the text in an error (a file name)
     * @throws DataException when the text holds something the vocabulary lacks, naming it and its line
     */
    int[] encode(String text, String source);

    /** The text of these ids. */
    String decode(int[] ids);
}
