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
 * @param fields  1-based position in the file of each column (a table of selected columns keeps
 *                pointing at the file's own)
 */
public record CsvTable(String source, List<String> header, List<String[]> rows, int[] lines, int[] fields) {
    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
        if (lines.length != rows.size()) throw new IllegalArgumentException("one line number per row");
        if (fields.length != header.size()) throw new IllegalArgumentException("one file position per column");
    }

    /** A table whose columns are the file's, in the file's order. */
    public CsvTable(String source, List<String> header, List<String[]> rows, int[] lines) {
        this(source, header, rows, lines, java.util.stream.IntStream.rangeClosed(1, header.size()).toArray());
    }

    /** Index of a column by name, or an error that lists the columns there are (invisible characters escaped). */
    public int column(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new DataException(source + ": no column named " + Visible.quoted(name) + " (columns: "
                    + String.join(", ", header.stream().map(Visible::text).toList()) + ")");
        }
        return i;
    }

    /** Where a cell is, for messages: {@code file:line: column N 'name'}. */
    public String where(int row, int col) {
        return source + ":" + lines[row] + ": column " + fields[col] + " " + Visible.quoted(header.get(col));
    }

    public int size() {
        return rows.size();
    }
}
