package dev.descent.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated files with a header row (RFC 4180: fields may be quoted with double
 * quotes, a doubled quote inside stands for one, and a quoted field may span lines). Written here
 * rather than taken from a library because the core module has no runtime dependencies.
 * Blank lines are skipped; a row with more or fewer cells than the header is an error naming the
 * file and line. A UTF-8 byte-order mark in front of the header (what spreadsheet programs write)
 * is dropped, so the first column is named as it looks.
 */
public final class Csv {
    private static final String BYTE_ORDER_MARK = "\ufeff";

    private Csv() {}

    public static CsvTable read(Path path) {
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(in, path.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": file not found");
        } catch (IOException e) {
            throw new DataException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static CsvTable read(Reader reader, String source) throws IOException {
        RecordReader in = new RecordReader(reader, source);
        List<String> header = in.next();
        if (header == null) throw new DataException(source + ": empty file, expected a header row");
        if (header.getFirst().startsWith(BYTE_ORDER_MARK)) header.set(0, header.getFirst().substring(1));
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> record;
        while ((record = in.next()) != null) {
            if (record.size() == 1 && record.get(0).isBlank()) continue;
            if (record.size() != header.size()) {
                throw new DataException(source + ":" + in.recordLine + ": " + record.size() + " cells, but the header has " + header.size());
            }
            rows.add(record.toArray(new String[0]));
            lines.add(in.recordLine);
        }
        return new CsvTable(source, header.stream().map(String::trim).toList(), rows,
                lines.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Splits the character stream into records, tracking line numbers. */
    private static final class RecordReader {
        private final Reader in;
        private final String source;
        private int line = 1;
        int recordLine;
        private int pushback = -2;

        RecordReader(Reader in, String source) {
            this.in = in;
            this.source = source;
        }

        private int read() throws IOException {
            if (pushback != -2) {
                int c = pushback;
                pushback = -2;
                return c;
            }
            return in.read();
        }

        List<String> next() throws IOException {
            int c = read();
            if (c == -1) return null;
            recordLine = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false, wasQuoted = false;
            while (true) {
                if (quoted) {
                    if (c == -1) throw new DataException(source + ":" + recordLine + ": quoted field is not closed");
                    if (c == '"') {
                        int d = read();
                        if (d == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            c = d;
                            continue;
                        }
                    } else {
                        if (c == '\n') line++;
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\n' || c == '\r' || c == -1) {
                    if (c == '\r') {
                        int d = read();
                        if (d != '\n') pushback = d;
                    }
                    if (c != -1) line++;
                    cells.add(cell.toString());
                    return cells;
                } else {
                    cell.append((char) c);
                }
                c = read();
            }
        }
    }
}
