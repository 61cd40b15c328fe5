package dev.descent.data;

import java.util.List;

/**
 * A CSV file as read: its header and its rows of raw cells, with the 1-based file line of each row
 * so later errors (a non-numeric cell, an unknown label) can point at it.
 *
 * @param source  file name used in error messages
 * @param header  column names
 * @param rows    cells of each data row, each as long as the header
 * @param lines   file line number of each row
 */
public record CsvTable(String source, List<String> header, List<String[]> rows, int[] lines) {
    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
        if (lines.length != rows.size()) throw new IllegalArgumentException("one line number per row");
    }

    /** Index of a column by name, or an error that lists the columns there are. */
    public int column(String name) {
        int i = header.indexOf(name);
        if (i < 0) throw new DataException(source + ": no column named '" + name + "' (columns: " + String.join(", ", header) + ")");
        return i;
    }

    public int size() {
        return rows.size();
    }
}
