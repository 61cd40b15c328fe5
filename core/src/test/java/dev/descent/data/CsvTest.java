package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void readsQuotedFieldsAndCrLf() throws IOException {
        CsvTable t = Csv.read(write("a.csv", "x,\"name, with comma\",y\r\n1,\"say \"\"hi\"\"\",2\r\n\r\n3,plain,4\r\n"));
        assertEquals(List.of("x", "name, with comma", "y"), t.header());
        assertEquals(2, t.size());
        assertEquals("say \"hi\"", t.rows().get(0)[1]);
        assertArrayEquals(new int[] {2, 4}, t.lines());
    }

    @Test
    void classificationMapsLabelsAndScalesOnTrainingOnly() throws IOException {
        CsvTable train = Csv.read(write("train.csv", "a,b,species\n1,10,setosa\n3,30,virginica\n5,50,setosa\n"));
        Tabular.Labeled labeled = Tabular.classification(train, "species");
        assertEquals(List.of("setosa", "virginica"), labeled.classes().names());
        assertArrayEquals(new float[] {0, 1, 0}, labeled.data().targets().toFloatArray());
        assertArrayEquals(new float[] {1, 10, 3, 30, 5, 50}, labeled.data().features().toFloatArray());
        Scaler.Standard s = Scaler.Standard.fit(labeled.data().features());
        assertArrayEquals(new float[] {3, 30}, s.mean());
        // population std of 1,3,5 is sqrt(8/3)
        assertEquals(Math.sqrt(8.0 / 3), s.std()[0], 1e-6);
        CsvTable test = Csv.read(write("test.csv", "a,b,species\n3,30,virginica\n"));
        TensorDataset t = Tabular.classification(test, "species", labeled.classes());
        assertArrayEquals(new float[] {0, 0}, s.apply(t.features()).toFloatArray(), 1e-6f);
        Scaler.MinMax mm = Scaler.MinMax.fit(labeled.data().features());
        assertArrayEquals(new float[] {0.5f, 0.5f}, mm.apply(t.features()).toFloatArray(), 1e-6f);
    }

    @Test
    void integerLabelsAreOrderedNumerically() {
        assertEquals(List.of("2", "9", "10"), ClassLabels.fit(List.of("10", "2", "9", "2")).names());
    }

    @Test
    void errorsNameFileLineAndCulprit() throws IOException {
        var missing = assertThrows(DataException.class, () -> Csv.read(dir.resolve("nope.csv")));
        assertTrue(missing.getMessage().contains("nope.csv") && missing.getMessage().contains("not found"), missing.getMessage());

        Path ragged = write("ragged.csv", "a,b,y\n1,2,0\n1,0\n");
        var r = assertThrows(DataException.class, () -> Csv.read(ragged));
        assertTrue(r.getMessage().contains("ragged.csv:3") && r.getMessage().contains("2 cells"), r.getMessage());

        CsvTable bad = Csv.read(write("bad.csv", "a,b,y\n1,2,0\n1,x2,1\n"));
        var n = assertThrows(DataException.class, () -> Tabular.classification(bad, "y"));
        assertTrue(n.getMessage().contains("bad.csv:3") && n.getMessage().contains("'b'") && n.getMessage().contains("'x2'"), n.getMessage());

        CsvTable train = Csv.read(write("t.csv", "a,y\n1,cat\n2,dog\n"));
        CsvTable test = Csv.read(write("u.csv", "a,y\n1,cat\n2,bird\n"));
        var u = assertThrows(DataException.class, () -> Tabular.classification(test, "y", Tabular.classification(train, "y").classes()));
        assertTrue(u.getMessage().contains("u.csv:3") && u.getMessage().contains("'bird'"), u.getMessage());

        var c = assertThrows(DataException.class, () -> train.column("label"));
        assertTrue(c.getMessage().contains("'label'") && c.getMessage().contains("a, y"), c.getMessage());

        var q = assertThrows(DataException.class, () -> Csv.read(write("q.csv", "a,b\n\"open,1\n")));
        assertTrue(q.getMessage().contains("q.csv:2") && q.getMessage().contains("not closed"), q.getMessage());
    }

    /**
     * Values that would make every loss non-finite are refused at load time with file, line and
     * column (issue 17, B5): Java's parser takes NaN and Infinity, and turns 1e39 into Infinity.
     */
    @Test
    void nonFiniteAndOutOfRangeValuesAreRefusedWhereTheyAre() throws IOException {
        String[][] cases = {{"NaN", "is not a finite number"}, {"Infinity", "is not a finite number"}, {"-inf", "is not a finite number"},
                {"1e39", "is outside the float32 range"}, {"-3.5e38", "is outside the float32 range"}, {"1f", "is not a number"},
                {"0x1p3", "is not a number"}, {"1e", "is not a number"}, {".", "is not a number"}};
        for (String[] c : cases) {
            CsvTable t = Csv.read(write("n.csv", "a,b,y\n1,2,0\n3," + c[0] + ",1\n"));
            var e = assertThrows(DataException.class, () -> Tabular.classification(t, "y"), c[0]);
            assertEquals(dir.resolve("n.csv") + ":3: column 2 'b': '" + c[0] + "' " + c[1], e.getMessage().replaceAll(" \\(.*", ""));
            var r = assertThrows(DataException.class, () -> Tabular.regression(Csv.read(write("r.csv", "a,y\n1,0\n2," + c[0] + "\n")), "y"));
            assertTrue(r.getMessage().startsWith(dir.resolve("r.csv") + ":3: column 2 'y': "), r.getMessage());
        }
        CsvTable ok = Csv.read(write("ok.csv", "a,b,c,d,e,y\n-1.5,.5,2.,3e-2,1e-50,0\n+3.4028235e38,-0,7E+1,0.0,1,1\n"));
        assertArrayEquals(new float[] {-1.5f, 0.5f, 2f, 0.03f, 0f, 3.4028235e38f, -0f, 70f, 0f, 1f},
                Tabular.classification(ok, "y").data().features().toFloatArray());
    }

    /** Spreadsheet programs write a UTF-8 byte-order mark; it is not part of the first column's name (B6). */
    @Test
    void byteOrderMarkIsDroppedAndInvisibleCharactersAreShown() throws IOException {
        CsvTable t = Csv.read(write("bom.csv", "\ufeffalcohol,quality\n1.5,5\n"));
        assertEquals(List.of("alcohol", "quality"), t.header());
        assertEquals(0, t.column("alcohol"));

        CsvTable odd = Csv.read(write("odd.csv", "alc\u00a0ohol,\"qual\tity\"\n1,2\n"));
        var e = assertThrows(DataException.class, () -> odd.column("alcohol"));
        assertTrue(e.getMessage().endsWith("no column named 'alcohol' (columns: alc\\u00a0ohol, qual\\tity)"), e.getMessage());
        var n = assertThrows(DataException.class, () -> Tabular.regression(Csv.read(write("z.csv", "a,y\n\u200b1,2\n")), "y"));
        assertTrue(n.getMessage().endsWith(":2: column 1 'a': '\\u200b1' is not a number"), n.getMessage());
        assertEquals("plain, \\ kept", Visible.text("plain, \\ kept"));
        assertEquals("a\\\\b\\ufeff", Visible.text("a\\b\ufeff"));
    }
}
