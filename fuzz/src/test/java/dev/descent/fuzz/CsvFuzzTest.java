package dev.descent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.descent.data.Csv;
import dev.descent.data.CsvTable;
import dev.descent.data.DataException;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Any bytes read as a CSV file and turned into classification and regression data (the last
 * column the target) end in finite float features or a {@link DataException} of one line.
 * Seeds: src/test/resources/dev/descent/fuzz/CsvFuzzTestInputs.
 */
class CsvFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void csv(byte[] data) {
        CsvTable table;
        try {
            table = Csv.read(new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.UTF_8), "fuzz.csv");
        } catch (DataException e) {
            Documented.oneLine(e);
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("reading memory cannot fail", e);
        }
        String target = table.header().getLast();
        try {
            check(Tabular.classification(table, target).data());
        } catch (DataException e) {
            Documented.oneLine(e);
        }
        try {
            check(Tabular.regression(table, target));
        } catch (DataException e) {
            Documented.oneLine(e);
        }
    }

    private static void check(TensorDataset d) {
        for (float v : d.features().toFloatArray()) if (!Float.isFinite(v)) throw new AssertionError("a non-finite feature was accepted: " + v);
    }
}
