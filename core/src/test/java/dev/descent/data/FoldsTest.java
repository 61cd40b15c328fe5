package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldsTest {
    /** Every row is validated by exactly one fold, and each fold's train part is the complement of its validation part. */
    private static void assertPartition(List<Split> folds, int n) {
        int[] validatedBy = new int[n];
        for (Split s : folds) {
            boolean[] inValidation = new boolean[n];
            for (int r : s.validation()) {
                inValidation[r] = true;
                validatedBy[r]++;
            }
            boolean[] seen = inValidation.clone();
            for (int r : s.train()) {
                assertFalse(seen[r], "row " + r + " in both train and validation, or twice in train");
                seen[r] = true;
            }
            for (int r = 0; r < n; r++) assertTrue(seen[r], "row " + r + " missing from a split");
            assertSorted(s.train());
            assertSorted(s.validation());
        }
        for (int r = 0; r < n; r++) assertEquals(1, validatedBy[r], "row " + r + " validation count");
    }

    private static void assertSorted(int[] rows) {
        for (int i = 1; i < rows.length; i++) assertTrue(rows[i - 1] < rows[i], "rows not ascending at " + i);
    }

    private static int[] sizes(List<Split> folds) {
        return folds.stream().mapToInt(s -> s.validation().length).toArray();
    }

    @Test
    void kFoldGivesTheFirstRemainderFoldsOneExtraRow() {
        List<Split> folds = Folds.kFold(10, 3, false, null);
        assertArrayEquals(new int[] {4, 3, 3}, sizes(folds));
        // unshuffled: consecutive blocks, as scikit-learn's KFold(shuffle=False)
        assertArrayEquals(new int[] {0, 1, 2, 3}, folds.get(0).validation());
        assertArrayEquals(new int[] {4, 5, 6}, folds.get(1).validation());
        assertArrayEquals(new int[] {7, 8, 9}, folds.get(2).validation());
        assertPartition(folds, 10);
    }

    @Test
    void shuffledKFoldPartitionsAndIsReproducibleBySeed() {
        List<Split> a = Folds.kFold(103, 5, true, Generator.seeded(7));
        List<Split> b = Folds.kFold(103, 5, true, Generator.seeded(7));
        List<Split> c = Folds.kFold(103, 5, true, Generator.seeded(8));
        assertPartition(a, 103);
        assertArrayEquals(new int[] {21, 21, 21, 20, 20}, sizes(a));
        for (int f = 0; f < 5; f++) assertArrayEquals(a.get(f).validation(), b.get(f).validation());
        assertNotEquals(Arrays.toString(a.get(0).validation()), Arrays.toString(c.get(0).validation()));
        // shuffled folds are not the contiguous blocks
        assertNotEquals(Arrays.toString(Folds.kFold(103, 5, false, null).get(0).validation()), Arrays.toString(a.get(0).validation()));
    }

    @Test
    void leaveOneOutIsKEqualsN() {
        List<Split> folds = Folds.kFold(4, 4, true, Generator.seeded(1));
        assertArrayEquals(new int[] {1, 1, 1, 1}, sizes(folds));
        assertPartition(folds, 4);
    }

    @Test
    void kIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> Folds.kFold(10, 1, false, null));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> Folds.kFold(3, 4, false, null));
        assertTrue(tooMany.getMessage().contains("k = 4") && tooMany.getMessage().contains("3 rows"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Folds.kFold(10, 2, true, null));
        assertThrows(IllegalArgumentException.class, () -> Folds.stratifiedKFold(new int[] {0, 1, 0, 1}, 1, null));
        assertThrows(IllegalArgumentException.class, () -> Folds.stratifiedKFold(new int[] {0, 0}, 3, null));
    }

    @Test
    void stratifiedKFoldKeepsEveryFoldsClassCountsWithinOneOfProportional() {
        // 3 classes of 53, 31 and 16 rows, interleaved so class and position are unrelated
        int[] counts = {53, 31, 16};
        int n = 100, k = 7;
        int[] classes = new int[n];
        int[] left = counts.clone();
        for (int i = 0, c = 0; i < n; c = (c + 1) % 3) if (left[c] > 0) { classes[i++] = c + 10; left[c]--; }
        List<Split> folds = Folds.stratifiedKFold(classes, k, Generator.seeded(3));
        assertPartition(folds, n);
        for (Split s : folds) {
            int[] perClass = new int[3];
            for (int r : s.validation()) perClass[classes[r] - 10]++;
            for (int c = 0; c < 3; c++) {
                double proportional = counts[c] * (double) s.validation().length / n;
                assertTrue(Math.abs(perClass[c] - proportional) <= 1.0,
                        "class " + c + ": " + perClass[c] + " rows in a fold of " + s.validation().length + ", proportional " + proportional);
                // as even as possible: floor or ceil of count / k
                assertTrue(perClass[c] == counts[c] / k || perClass[c] == counts[c] / k + 1, "class " + c + " got " + perClass[c]);
            }
        }
        int[] sz = sizes(folds);
        assertTrue(Arrays.stream(sz).max().getAsInt() - Arrays.stream(sz).min().getAsInt() <= 1, "fold sizes " + Arrays.toString(sz));
    }

    @Test
    void stratifiedKFoldIsReproducibleBySeedAndDeterministicWithoutOne() {
        int[] classes = new int[60];
        for (int i = 0; i < 60; i++) classes[i] = i % 4 == 0 ? 1 : 0;
        List<Split> a = Folds.stratifiedKFold(classes, 5, Generator.seeded(11));
        List<Split> b = Folds.stratifiedKFold(classes, 5, Generator.seeded(11));
        List<Split> c = Folds.stratifiedKFold(classes, 5, Generator.seeded(12));
        for (int f = 0; f < 5; f++) assertArrayEquals(a.get(f).validation(), b.get(f).validation());
        assertNotEquals(Arrays.toString(a.get(0).validation()), Arrays.toString(c.get(0).validation()));
        // no generator: each class dealt in row order, so fold 0 holds the first rows of each class
        List<Split> plain = Folds.stratifiedKFold(classes, 5, null);
        assertPartition(plain, 60);
        // 45 rows of class 0 give 9 per fold, 15 of class 1 give 3: rows 1,2,3,5,6,7,9,10,11 and 0,4,8
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, plain.get(0).validation());
    }

    @Test
    void stratifiedKFoldRejectsAClassSmallerThanKAndNamesIt() {
        int[] classes = {0, 0, 0, 0, 0, 7, 7, 0, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Folds.stratifiedKFold(classes, 3, Generator.seeded(1)));
        assertTrue(e.getMessage().contains("class 7") && e.getMessage().contains("has 2 rows"), e.getMessage());
        assertPartition(Folds.stratifiedKFold(classes, 2, Generator.seeded(1)), 10);
    }
}
