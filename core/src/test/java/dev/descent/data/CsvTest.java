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
}
