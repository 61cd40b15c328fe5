package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Character and byte tokenizers, and next-token windows as the fixture README defines them. */
class TextDataTest {
    @Test
    void charVocabularyIsTheSortedDistinctCodePoints() {
        CharTokenizer t = CharTokenizer.fit("ba\nab c\u00e9");
        assertEquals(List.of("\n", " ", "a", "b", "c", "\u00e9"), t.vocabulary());
        assertArrayEquals(new int[] {3, 2, 0, 2, 3, 1, 4, 5}, t.encode("ba\nab c\u00e9", "x"));
        assertEquals("cab\n", t.decode(new int[] {4, 2, 3, 0}));
        assertEquals(t.vocabulary(), CharTokenizer.of(t.vocabulary()).vocabulary());
    }

    @Test
    void anUnknownCharacterIsNamedWithItsLine() {
        CharTokenizer t = CharTokenizer.fit("abc\n");
        var e = assertThrows(DataException.class, () -> t.encode("ab\ncz", "valid.txt"));
        assertEquals("valid.txt: line 2: character 'z' (U+007A) is not in the vocabulary of the training text", e.getMessage());
    }

    @Test
    void bytesRoundTripUtf8() {
        int[] ids = ByteTokenizer.INSTANCE.encode("a\u00e9", "x");
        assertArrayEquals(new int[] {97, 0xc3, 0xa9}, ids);
        assertEquals("a\u00e9", ByteTokenizer.INSTANCE.decode(ids));
        assertEquals(256, ByteTokenizer.INSTANCE.vocabularySize());
    }

    @Test
    void windowsAreConsecutiveNonOverlappingAndShiftedByOne() {
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        // N = 10, T = 3: floor(9 / 3) = 3 windows; the tail id 9 is only a target
        TensorDataset d = TextWindows.of(ids, 3, "x");
        assertArrayEquals(new int[] {3, 3}, d.features().shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, d.features().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, d.targets().toFloatArray());
        // N = 9: floor(8 / 3) = 2 windows (the last id could not be a target of a third)
        assertEquals(2, TextWindows.of(java.util.Arrays.copyOf(ids, 9), 3, "x").size());
    }

    @Test
    void aTextTooShortForOneWindowIsAnError() {
        var e = assertThrows(DataException.class, () -> TextWindows.of(new int[] {1, 2, 3}, 3, "tiny.txt"));
        assertEquals("tiny.txt: 3 tokens do not fill one window of block_size 3 (it needs 4)", e.getMessage());
    }
}
