package dev.descent.data;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a {@link CsvTable} into a {@link TensorDataset}: every column but the target is a
 * numeric feature; the target is a class label (mapped through {@link ClassLabels}) or a number.
 * Every cell that cannot be used is reported with file, line and column.
 */
public final class Tabular {
    private Tabular() {}

    /** Classification data with the class mapping taken from these rows (training data). */
    public static Labeled classification(CsvTable table, String target) {
        int t = table.column(target);
        List<String> labels = new ArrayList<>(table.size());
        for (String[] row : table.rows()) labels.add(row[t].trim());
        if (labels.isEmpty()) throw new DataException(table.source() + ": no data rows");
        ClassLabels classes = ClassLabels.fit(labels);
        return new Labeled(classification(table, target, classes), classes);
    }

    /**
     * Classification data mapped through an existing class mapping (validation, test and
     * prediction data); a label the training data did not have is an error naming it.
     */
    public static TensorDataset classification(CsvTable table, String target, ClassLabels classes) {
        int t = table.column(target);
        float[] y = new float[table.size()];
        for (int i = 0; i < y.length; i++) {
            String label = table.rows().get(i)[t].trim();
            int k = classes.indexOf(label);
            if (k < 0) {
                throw new DataException(table.where(i, t) + ": unknown label " + Visible.quoted(label)
                        + " (the training data has " + String.join(", ", classes.names().stream().map(Visible::text).toList()) + ")");
            }
            y[i] = k;
        }
        return new TensorDataset(features(table, t), Tensor.of(y, y.length));
    }

    /** Regression data: the target column parsed as numbers. */
    public static TensorDataset regression(CsvTable table, String target) {
        int t = table.column(target);
        float[] y = new float[table.size()];
        for (int i = 0; i < y.length; i++) y[i] = number(table, i, t);
        return new TensorDataset(features(table, t), Tensor.of(y, y.length));
    }

    /** All columns except {@code skip} as a [rows, columns-1] float tensor ({@code skip} -1 keeps all). */
    public static Tensor features(CsvTable table, int skip) {
        int cols = table.header().size() - (skip >= 0 ? 1 : 0);
        float[] x = new float[table.size() * cols];
        for (int i = 0; i < table.size(); i++) {
            for (int j = 0, k = 0; j < table.header().size(); j++) {
                if (j == skip) continue;
                x[i * cols + k++] = number(table, i, j);
            }
        }
        return Tensor.of(x, table.size(), cols);
    }

    /**
     * A cell as a float32: a decimal number ({@code -1.5}, {@code .5}, {@code 2e-3}) within
     * float32's range. {@code NaN}, {@code Infinity}, numbers that overflow a float (1e39) and
     * Java's own forms ({@code 1f}, {@code 0x1p3}) are refused here, at load time, with the file,
     * line and column: a non-finite feature turns every loss non-finite, and the run would fail
     * at its first step far from the cause. Missing values are not imputed; the file must be
     * cleaned first. Numbers too small for a float become 0 (or -0), as in every float32 reader.
     */
    private static float number(CsvTable table, int row, int col) {
        String cell = table.rows().get(row)[col].trim();
        if (cell.isEmpty()) throw new DataException(table.where(row, col) + ": empty cell (missing values are not imputed: fill or drop the row)");
        if (!isDecimal(cell)) {
            String what = NON_FINITE.matcher(cell).matches() ? "is not a finite number (missing values are not imputed: fill or drop the row)"
                    : "is not a number";
            throw new DataException(table.where(row, col) + ": " + Visible.quoted(cell) + " " + what);
        }
        float v = Float.parseFloat(cell);
        if (Float.isInfinite(v)) {
            throw new DataException(table.where(row, col) + ": " + Visible.quoted(cell) + " is outside the float32 range (magnitude at most 3.4028235e38)");
        }
        return v;
    }

    /** {@code [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?}, checked by hand: a regular expression costs more than the parse on big files. */
    static boolean isDecimal(String s) {
        int i = 0, n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int intDigits = 0, fracDigits = 0;
        while (i < n && isDigit(s.charAt(i))) { i++; intDigits++; }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) { i++; fracDigits++; }
        }
        if (intDigits + fracDigits == 0) return false;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

    /** A classification data set with the class mapping fitted on it. */
    public record Labeled(TensorDataset data, ClassLabels classes) {}
}
