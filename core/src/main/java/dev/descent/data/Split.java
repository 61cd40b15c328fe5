package dev.descent.data;

import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Train/validation splits by fraction. The stratified split keeps each class's share: within
 * every class the rows are shuffled and round(fraction * count) of them go to validation, so a
 * class of 10 rows with fraction 0.2 gives exactly 2. Row order inside each part follows the
 * original file order, so a split changes which rows train, never their relative order.
 *
 * @param train      row indices for training, ascending
 * @param validation row indices for validation, ascending
 */
public record Split(int[] train, int[] validation) {

    /** A random split of n rows with the given validation fraction in (0, 1). */
    public static Split random(int n, double fraction, Generator gen) {
        checkFraction(fraction);
        int[] perm = gen.permutation(n);
        int v = (int) Math.round(fraction * n);
        return of(Arrays.copyOfRange(perm, n - v, n), n);
    }

    /** A split that keeps each class's proportion in both parts. */
    public static Split stratified(int[] classes, double fraction, Generator gen) {
        checkFraction(fraction);
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < classes.length; i++) byClass.computeIfAbsent(classes[i], k -> new ArrayList<>()).add(i);
        List<Integer> validation = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            int[] perm = gen.permutation(rows.size());
            int v = (int) Math.round(fraction * rows.size());
            for (int i = 0; i < v; i++) validation.add(rows.get(perm[i]));
        }
        return of(validation.stream().mapToInt(Integer::intValue).toArray(), classes.length);
    }

    /** The split whose validation part is {@code validationRows} (any order) and whose train part is every other row of 0..n-1. */
    static Split of(int[] validationRows, int n) {
        boolean[] inValidation = new boolean[n];
        for (int r : validationRows) inValidation[r] = true;
        int[] train = new int[n - validationRows.length], validation = new int[validationRows.length];
        for (int i = 0, t = 0, v = 0; i < n; i++) {
            if (inValidation[i]) validation[v++] = i;
            else train[t++] = i;
        }
        return new Split(train, validation);
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
}
