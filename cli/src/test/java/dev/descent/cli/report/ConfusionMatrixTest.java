package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixTest {
    @TempDir Path tmp;

    @Test
    void readsRowsAsTrueClassAndColumnsAsPredicted() throws IOException {
        Path f = Files.writeString(tmp.resolve("confusion_matrix.json"), SyntheticRun.CONFUSION);
        ConfusionMatrix m = ConfusionMatrix.read(f);
        assertEquals(List.of("cat", "dog", "bird"), m.labels());
        assertEquals(8, m.counts()[1][2], "true dog predicted as bird");
        assertEquals(300, m.total());
        assertEquals(95, m.max());
        assertEquals((95 + 88 + 87) / 300.0, m.accuracy(), 1e-12);
    }

    @Test
    void badShapesAreErrorsNamingTheFile() throws IOException {
        for (String json : List.of("{\"labels\": [\"a\", \"b\"], \"counts\": [[1, 2]]}",
                "{\"labels\": [\"a\", \"b\"], \"counts\": [[1, 2], [3]]}",
                "{\"labels\": [\"a\"], \"counts\": [[1.5]]}",
                "{\"labels\": [\"a\"], \"counts\": [[-1]]}",
                "[1, 2]")) {
            Path f = Files.writeString(tmp.resolve("confusion_matrix.json"), json);
            ReportException e = assertThrows(ReportException.class, () -> ConfusionMatrix.read(f), json);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }

    @Test
    void manyClassesWithLongNamesFitAndKeepSquareCells() {
        int n = 40;
        List<String> labels = new ArrayList<>();
        long[][] counts = new long[n][n];
        for (int i = 0; i < n; i++) {
            labels.add("a rather long class name " + i);
            counts[i][i] = 1000 + i;
            counts[i][(i + 1) % n] = 3;
        }
        ConfusionMatrix m = new ConfusionMatrix(labels, counts);
        BufferedImage img = ConfusionChart.render(m);
        ConfusionChart.Layout l = ConfusionChart.Layout.of(m);
        assertEquals(l.width(), img.getWidth());
        assertTrue(l.cellSize() >= 14, "cells stay readable");
        java.awt.Rectangle last = ConfusionChart.cell(m, n - 1, n - 1);
        assertTrue(last.x + last.width <= img.getWidth() && last.y + last.height <= img.getHeight(), "grid fits the image");
    }
}
