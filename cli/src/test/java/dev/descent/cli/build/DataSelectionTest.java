package dev.descent.cli.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.descent.cli.config.ConfigFile;
import dev.descent.data.Scaler;
import dev.descent.data.Split;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holdout is taken from the training rows before the scaler is fitted: the scaler comes from the
 * rows left to train on only, and scales the held-out rows unchanged (no leak of the validation
 * rows into the scaling statistics).
 */
class DataSelectionTest {
    @TempDir Path dir;

    /**
     * Six rows of one feature: four small ones and, in the held-out rows 4 and 5, two large ones,
     * so a scaler that saw the held-out rows would differ from one that did not in mean, std, min
     * and max alike. Whole numbers, so the CSV parses to exactly these floats.
     */
    private static final float[] X = {0, 1, 2, 3, 100, 200};
    private static final Split HOLD_OUT_LAST_TWO = new Split(new int[] {0, 1, 2, 3}, new int[] {4, 5});

    private DataFactory.Prepared scaled(String scale, DataSelection selection) throws IOException {
        return prepare("scale: " + scale, selection);
    }

    private DataFactory.Prepared prepare(String more, DataSelection selection) throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (float x : X) csv.append((int) x).append(',').append((int) x % 2).append('\n');
        Files.writeString(dir.resolve("d.csv"), csv);
        ObjectNode root = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree("data: {train: d.csv, target: y, " + more + "}\n");
        ConfigFile config = new ConfigFile(dir.resolve("c.yaml"), root);
        return DataFactory.prepare(config, config.top().section("data"), LossFactory.build(new ObjectMapper().getNodeFactory().textNode("mse")), 0,
                selection);
    }

    private static Tensor rows(int... idx) {
        float[] v = new float[idx.length];
        for (int i = 0; i < idx.length; i++) v[i] = X[idx[i]];
        return Tensor.of(v, idx.length, 1);
    }

    @Test
    void theScalerIsFittedOnTheRowsLeftToTrainOn() throws IOException {
        for (String scale : new String[] {"standard", "minmax"}) {
            DataFactory.Prepared p = scaled(scale, new DataSelection(false, rows -> HOLD_OUT_LAST_TWO));
            Scaler used = p.info().scaler().toScaler();
            Scaler trainOnly = scale.equals("standard") ? Scaler.Standard.fit(rows(0, 1, 2, 3)) : Scaler.MinMax.fit(rows(0, 1, 2, 3));
            Scaler allRows = scale.equals("standard") ? Scaler.Standard.fit(rows(0, 1, 2, 3, 4, 5)) : Scaler.MinMax.fit(rows(0, 1, 2, 3, 4, 5));
            assertEquals(trainOnly, used, scale);
            assertNotEquals(allRows, used, scale + ": the data set is built so that a leak would show");
            assertArrayEquals(trainOnly.apply(rows(0, 1, 2, 3)).toFloatArray(), p.train().features().toFloatArray(), scale);
            assertArrayEquals(trainOnly.apply(rows(4, 5)).toFloatArray(), p.validation().features().toFloatArray(), scale + ": the held-out rows, scaled by the training rows' scaler");
        }
    }

    @Test
    void withoutAHoldoutAllTrainingRowsTrainAndFitTheScaler() throws IOException {
        DataFactory.Prepared p = scaled("standard", DataSelection.ALL);
        assertEquals(Scaler.Standard.fit(rows(0, 1, 2, 3, 4, 5)), p.info().scaler().toScaler());
        assertEquals(X.length, p.train().size());
        assertNull(p.validation());
    }

    @Test
    void withoutTestLeavesTheTestRowsOut() throws IOException {
        assertNotNull(prepare("test_split: 0.5", DataSelection.ALL).test());
        DataFactory.Prepared p = prepare("test_split: 0.5", new DataSelection(true, null));
        assertNull(p.test());
        assertEquals(3, p.train().size(), "the test rows are still split off, not trained on");
    }
}
