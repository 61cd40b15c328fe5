package dev.descent.data;

import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * K-fold cross-validation: k {@link Split}s whose validation parts partition the rows, each
 * split training on the other k - 1 folds. Semantics follow scikit-learn's {@code KFold} and
 * {@code StratifiedKFold}:
 *
 * <ul>
 *   <li>{@link #kFold}: fold sizes are n / k, and the first n % k folds get one extra row.
 *   <li>{@link #stratifiedKFold}: every class's rows are spread over the folds as evenly as
 *       possible (each fold gets floor or ceil of count / k of every class), and the fold totals
 *       differ by at most one, so each fold's class proportions match the whole data set.
 * </ul>
 *
 * <p>Unlike scikit-learn, which only warns, {@link #stratifiedKFold} throws when a class has fewer
 * than k rows: some fold would then validate without a single row of that class, and its
 * per-class metrics (recall, a confusion matrix row) would be undefined, or silently averaged over
 * fewer folds than the user asked for. Reduce k or merge the rare class.
 *
 * <p>Both parts of every split list their rows in ascending order, like {@link Split}.
 */
public final class Folds {
    private Folds() {}

    /**
     * k folds over rows 0..n-1. Without shuffling, fold 0 is the first block of rows, fold 1 the
     * next, and so on; with shuffling the rows are permuted by {@code gen} first.
     *
     * @param gen the shuffle's generator; ignored (and may be null) when {@code shuffle} is false
     * @throws IllegalArgumentException when k &lt; 2, k &gt; n, or shuffle is asked without a generator
     */
    public static List<Split> kFold(int n, int k, boolean shuffle, Generator gen) {
        checkK(n, k);
        if (shuffle && gen == null) throw new IllegalArgumentException("kFold with shuffle needs a Generator");
        int[] order = shuffle ? gen.permutation(n) : identity(n);
        List<Split> folds = new ArrayList<>(k);
        int start = 0;
        for (int f = 0; f < k; f++) {
            int size = n / k + (f < n % k ? 1 : 0);
            int[] validation = new int[size];
            System.arraycopy(order, start, validation, 0, size);
            folds.add(Split.of(validation, n));
            start += size;
        }
        return folds;
    }

    /**
     * k folds that keep each class's proportion. With a generator, each class's rows are shuffled
     * before they are dealt to folds; with {@code gen == null} they are dealt in row order (no
     * shuffling, scikit-learn's default), so the result depends on the data alone.
     *
     * @param classes the class of each row (any int labels)
     * @throws IllegalArgumentException when k &lt; 2, k &gt; the number of rows, or a class has
     *     fewer than k rows (the message names the class and its count)
     */
    public static List<Split> stratifiedKFold(int[] classes, int k, Generator gen) {
        int n = classes.length;
        checkK(n, k);
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < n; i++) byClass.computeIfAbsent(classes[i], c -> new ArrayList<>()).add(i);
        for (Map.Entry<Integer, List<Integer>> e : byClass.entrySet()) {
            if (e.getValue().size() < k) {
                throw new IllegalArgumentException("class " + e.getKey() + " has " + e.getValue().size()
                        + " rows, fewer than k = " + k + ": some fold would have none of it; lower k or merge the class");
            }
        }
        int[][] allocation = allocate(byClass, k);
        int[] foldOf = new int[n];
        int c = 0;
        for (List<Integer> rows : byClass.values()) {
            int[] perm = gen == null ? identity(rows.size()) : gen.permutation(rows.size());
            int next = 0;
            for (int f = 0; f < k; f++) {
                for (int j = 0; j < allocation[f][c]; j++) foldOf[rows.get(perm[next++])] = f;
            }
            c++;
        }
        int[] sizes = new int[k];
        for (int f : foldOf) sizes[f]++;
        int[][] validation = new int[k][];
        for (int f = 0; f < k; f++) validation[f] = new int[sizes[f]];
        int[] filled = new int[k];
        for (int i = 0; i < n; i++) validation[foldOf[i]][filled[foldOf[i]]++] = i;
        List<Split> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) folds.add(Split.of(validation[f], n));
        return folds;
    }

    /**
     * allocation[f][c]: how many rows of class c fold f validates. Dealing the class-sorted label
     * list round-robin (row i of it to fold i % k), as scikit-learn does, gives every class
     * floor or ceil of count / k per fold and keeps the fold totals within one of each other;
     * dealing each class separately from fold 0 would pile all the remainders on the first folds.
     */
    private static int[][] allocate(TreeMap<Integer, List<Integer>> byClass, int k) {
        int[][] allocation = new int[k][byClass.size()];
        int position = 0, c = 0;
        for (List<Integer> rows : byClass.values()) {
            for (int j = 0; j < rows.size(); j++) allocation[position++ % k][c]++;
            c++;
        }
        return allocation;
    }

    private static void checkK(int n, int k) {
        if (k < 2) throw new IllegalArgumentException("k-fold needs k >= 2, got " + k);
        if (k > n) throw new IllegalArgumentException("k-fold needs k <= number of rows, got k = " + k + " for " + n + " rows");
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }
}
