package dev.descent.data;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

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
                throw new DataException(table.source() + ":" + table.lines()[i] + ": unknown label '" + label + "' in column '" + target
                        + "' (the training data has " + String.join(", ", classes.names()) + ")");
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

    private static float number(CsvTable table, int row, int col) {
        String cell = table.rows().get(row)[col].trim();
        String where = table.source() + ":" + table.lines()[row] + ": column '" + table.header().get(col) + "'";
        if (cell.isEmpty()) throw new DataException(where + ": empty cell");
        try {
            return Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new DataException(where + ": '" + cell + "' is not a number");
        }
    }

    /** A classification data set with the class mapping fitted on it. */
    public record Labeled(TensorDataset data, ClassLabels classes) {}
}
