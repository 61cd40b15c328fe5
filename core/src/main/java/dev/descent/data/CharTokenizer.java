package dev.descent.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Character-level tokens: the vocabulary is the sorted list of distinct characters (Unicode code
 * points) of a training text, as Python's {@code sorted(set(text))}, and a character's id is its
 * index in it. A character outside the vocabulary is an error that names it and its line: there
 * is no unknown token, so a model never silently reads something it was not trained on.
 */
public final class CharTokenizer implements Tokenizer {
    private final int[] codePoints; // sorted, distinct

    private CharTokenizer(int[] sortedCodePoints) {
        this.codePoints = sortedCodePoints;
    }

    /** The vocabulary of {@code text}: its distinct code points in increasing order. */
    public static CharTokenizer fit(String text) {
        if (text.isEmpty()) throw new DataException("char tokenizer: the training text is empty");
        return new CharTokenizer(text.codePoints().sorted().distinct().toArray());
    }

    /** A vocabulary saved by {@link #vocabulary()} (each entry one character). */
    public static CharTokenizer of(List<String> vocabulary) {
        int[] cps = new int[vocabulary.size()];
        for (int i = 0; i < cps.length; i++) {
            String s = vocabulary.get(i);
            if (s.codePointCount(0, s.length()) != 1) throw new DataException("char tokenizer: vocabulary entry " + i + " is not one character");
            cps[i] = s.codePointAt(0);
            if (i > 0 && cps[i] <= cps[i - 1]) throw new DataException("char tokenizer: the vocabulary is not sorted and distinct at entry " + i);
        }
        return new CharTokenizer(cps);
    }

    /** The characters in id order. */
    public List<String> vocabulary() {
        List<String> out = new ArrayList<>(codePoints.length);
        for (int cp : codePoints) out.add(Character.toString(cp));
        return out;
    }

    @Override
    public String kind() {
        return "char";
    }

    @Override
    public int vocabularySize() {
        return codePoints.length;
    }

    @Override
    public int[] encode(String text, String source) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int line = 1, k = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                throw new DataException(source + ": line " + line + ": character " + describe(cp) + " is not in the vocabulary of the training text");
            }
            ids[k++] = id;
            if (cp == '\n') line++;
            i += Character.charCount(cp);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.appendCodePoint(codePoints[id]);
        return sb.toString();
    }

    private static String describe(int cp) {
        String hex = String.format("U+%04X", cp);
        return Character.isISOControl(cp) || Character.isWhitespace(cp) ? hex : "'" + Character.toString(cp) + "' (" + hex + ")";
    }
}
