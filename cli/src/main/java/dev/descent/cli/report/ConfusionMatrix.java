package dev.descent.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A classifier's confusion matrix, as stored in a run directory's {@code confusion_matrix.json}.
 *
 * <p>File format (one JSON object):
 * <pre>{@code
 * {
 *   "labels": ["cat", "dog", "bird"],
 *   "counts": [[50, 2, 0],
 *              [ 3, 45, 1],
 *              [ 0,  4, 40]]
 * }
 * }</pre>
 * {@code labels} holds the n class names in class-index order. {@code counts} is n rows of n
 * non-negative integers: {@code counts[t][p]} is the number of examples whose <b>true</b> class is
 * {@code t} (row) and whose <b>predicted</b> class is {@code p} (column), so the diagonal holds the
 * correct predictions and each row sums to the number of examples of that true class. This is the
 * orientation of scikit-learn's {@code confusion_matrix}.
 *
 * @param labels class names, n of them
 * @param counts n×n counts, rows = true class, columns = predicted class
 */
public record ConfusionMatrix(List<String> labels, long[][] counts) {
    /** Checks the shape (n labels, n rows of n) and that counts are non-negative. */
    public ConfusionMatrix {
        labels = List.copyOf(labels);
        int n = labels.size();
        if (n == 0) throw new IllegalArgumentException("confusion matrix: no labels");
        if (counts.length != n) throw new IllegalArgumentException("confusion matrix: " + n + " labels but " + counts.length + " rows");
        long[][] copy = new long[n][];
        for (int t = 0; t < n; t++) {
            if (counts[t].length != n) {
                throw new IllegalArgumentException("confusion matrix: row " + t + " has " + counts[t].length + " counts, expected " + n);
            }
            for (long c : counts[t]) if (c < 0) throw new IllegalArgumentException("confusion matrix: negative count in row " + t);
            copy[t] = counts[t].clone();
        }
        counts = copy;
    }

    /** Number of classes. */
    public int size() {
        return labels.size();
    }

    /** Total examples counted. */
    public long total() {
        long s = 0;
        for (long[] row : counts) for (long c : row) s += c;
        return s;
    }

    /** Fraction on the diagonal (accuracy), NaN when the matrix is all zeros. */
    public double accuracy() {
        long diag = 0;
        for (int i = 0; i < counts.length; i++) diag += counts[i][i];
        long total = total();
        return total == 0 ? Double.NaN : (double) diag / total;
    }

    /** The largest single count (0 for an all-zero matrix). */
    public long max() {
        long m = 0;
        for (long[] row : counts) for (long c : row) m = Math.max(m, c);
        return m;
    }

    /**
     * Reads the format described on this type.
     *
     * @throws ReportException naming the file when it cannot be read or does not fit the format
     */
    public static ConfusionMatrix read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (root == null || !root.path("labels").isArray() || !root.path("counts").isArray()) {
                throw new ReportException("confusion matrix " + file + ": expected {\"labels\": [...], \"counts\": [[...], ...]}");
            }
            List<String> labels = new ArrayList<>();
            for (JsonNode l : root.get("labels")) labels.add(l.asText());
            JsonNode rows = root.get("counts");
            long[][] counts = new long[rows.size()][];
            for (int t = 0; t < rows.size(); t++) {
                JsonNode row = rows.get(t);
                if (!row.isArray()) throw new ReportException("confusion matrix " + file + ": counts row " + t + " is not an array");
                counts[t] = new long[row.size()];
                for (int p = 0; p < row.size(); p++) {
                    JsonNode c = row.get(p);
                    if (!c.canConvertToLong() || !c.isIntegralNumber()) {
                        throw new ReportException("confusion matrix " + file + ": counts[" + t + "][" + p + "] is not an integer: " + c);
                    }
                    counts[t][p] = c.asLong();
                }
            }
            return new ConfusionMatrix(labels, counts);
        } catch (IllegalArgumentException e) {
            throw new ReportException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ReportException("cannot read confusion matrix " + file + ": " + e.getMessage(), e);
        }
    }
}
