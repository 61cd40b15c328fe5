package dev.descent.cli.report;

import static dev.descent.search.Dimension.categorical;
import static dev.descent.search.Dimension.intRange;
import static dev.descent.search.Dimension.logUniform;
import static dev.descent.search.Dimension.uniform;
import static org.junit.jupiter.api.Assertions.*;

import dev.descent.search.Condition;
import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.ParamImportances;
import dev.descent.search.Parameter;
import dev.descent.search.Params;
import dev.descent.search.Pruner;
import dev.descent.search.RandomSampler;
import dev.descent.search.SearchSpace;
import dev.descent.search.Study;
import dev.descent.search.TrialState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tune.html's sections and charts, on studies run in memory, including the degenerate ones. */
class TuneReportTest {
    @TempDir Path dir;

    private static final SearchSpace SPACE = SearchSpace.of(
            Parameter.of("optimizer.lr", logUniform(1e-5, 1e-1)),
            Parameter.of("optimizer.name", categorical("sgd", "adam", "rmsprop")),
            Parameter.of("optimizer.momentum", uniform(0, 0.99), Condition.when("optimizer.name", "sgd")),
            Parameter.of("train.batch_size", intRange(16, 128, 16)),
            Parameter.of("model.dropout", uniform(0, 0.5)));

    private static final Pattern IMAGE = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    private static TuneReport.Contents contents(SearchSpace space, List<FrozenTrial> trials, Importances imp) {
        return new TuneReport.Contents("Study: test", "val_accuracy", true, space, trials, imp, List.of("rank", "trial"),
                List.of(List.of("1", "0")), "seed: 1\n");
    }

    /** Each embedded image as {png bytes, declared width, declared height}. */
    private static List<Object[]> images(String html) {
        List<Object[]> out = new ArrayList<>();
        Matcher m = IMAGE.matcher(html);
        while (m.find()) out.add(new Object[] {Base64.getDecoder().decode(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
        return out;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "a PNG ImageIO can read");
        return img;
    }

    private static void assertChart(Path png, int width, int height) throws IOException {
        assertTrue(Files.exists(png), png + " written");
        BufferedImage img = decode(Files.readAllBytes(png));
        assertEquals(width, img.getWidth(), png.toString());
        assertEquals(height, img.getHeight(), png.toString());
    }

    @Test
    void aStudyGetsHistoryImportanceParallelCoordinatesAndSlices() throws IOException {
        Study study = Study.create(SPACE, Direction.MAXIMIZE, new RandomSampler(), Pruner.none(), 3);
        study.optimize(t -> {
            if (t.number() == 4) throw new IllegalStateException("diverged");
            double lr = Math.log10(t.params().getDouble("optimizer.lr"));
            return 0.9 - 0.01 * (lr + 3) * (lr + 3) - (t.params().getString("optimizer.name").equals("sgd") ? 0.05 : 0);
        }, 30, null, 1);
        Importances imp = Importances.of(ParamImportances.compute(study));
        TuneReport.write(dir, contents(SPACE, study.trials(), imp));

        String html = Files.readString(dir.resolve(TuneReport.HTML));
        for (String id : List.of("history", "importance", "parallel", "slice", "leaderboard", "config")) {
            assertTrue(html.contains("<h2 id=\"" + id + "\">"), "section " + id);
        }
        assertTrue(html.indexOf("id=\"history\"") < html.indexOf("id=\"importance\"") && html.indexOf("id=\"importance\"") < html.indexOf("id=\"parallel\"")
                && html.indexOf("id=\"parallel\"") < html.indexOf("id=\"slice\"") && html.indexOf("id=\"slice\"") < html.indexOf("id=\"leaderboard\""),
                "sections in order: history, importance, parallel coordinates, slice, leaderboard");
        assertTrue(html.contains("<p class=\"meta\"><b>Completed:</b> 29</p>"), "one trial failed");

        // momentum is set only for sgd: left out of the importances, and the page says so.
        assertEquals(Set.of("optimizer.lr", "optimizer.name", "train.batch_size", "model.dropout"), imp.values().keySet());
        assertTrue(html.contains("did not set them (fANOVA needs a value in every trial): optimizer.momentum."), "left-out parameter named");
        String firstRow = "<tr><td>" + imp.values().firstEntry().getKey() + "</td><td>" + Importances.share(imp.values().firstEntry().getValue()) + "</td></tr>";
        assertTrue(html.contains(firstRow), "importance table, largest first: " + firstRow);

        List<Object[]> images = images(html);
        assertEquals(4, images.size(), "history, importance, parallel coordinates, slice");
        int[][] sizes = {{Charts.WIDTH, Charts.HEIGHT}, {ImportanceChart.WIDTH, ImportanceChart.height(4)},
                {ParallelCoordinatesChart.WIDTH, ParallelCoordinatesChart.HEIGHT}, {SliceChart.WIDTH, SliceChart.height(5)}};
        for (int i = 0; i < 4; i++) {
            BufferedImage img = decode((byte[]) images.get(i)[0]);
            assertEquals(sizes[i][0], img.getWidth(), "image " + i);
            assertEquals(sizes[i][1], img.getHeight(), "image " + i);
            assertEquals(sizes[i][0], images.get(i)[1], "declared width of image " + i);
            assertEquals(sizes[i][1], images.get(i)[2], "declared height of image " + i);
        }
        assertChart(dir.resolve(TuneReport.HISTORY), Charts.WIDTH, Charts.HEIGHT);
        assertChart(dir.resolve(TuneReport.IMPORTANCE), ImportanceChart.WIDTH, ImportanceChart.height(4));
        assertChart(dir.resolve(TuneReport.PARALLEL), ParallelCoordinatesChart.WIDTH, ParallelCoordinatesChart.HEIGHT);
        assertChart(dir.resolve(TuneReport.SLICE), SliceChart.WIDTH, SliceChart.height(5));
        assertArrayEquals(Files.readAllBytes(dir.resolve(TuneReport.SLICE)), (byte[]) images.get(3)[0], "the page embeds the file written");
    }

    @Test
    void withoutACompletedTrialTheChartsAreLeftOutWithAReason() throws IOException {
        List<FrozenTrial> trials = List.of(new FrozenTrial(0, new Params(Map.of("optimizer.lr", 0.01)), TrialState.FAIL, null, new TreeMap<>(), "diverged"),
                FrozenTrial.running(1));
        TuneReport.write(dir, contents(SPACE, trials, Importances.unavailableBecause("parameter importance needs at least 2 completed trials")));
        String html = Files.readString(dir.resolve(TuneReport.HTML));
        assertTrue(html.contains("No trial has completed yet, so there is no optimization history, parameter importance, parallel coordinates or slice plot."), html);
        assertEquals(0, images(html).size());
        for (String id : List.of("history", "importance", "parallel", "slice")) assertFalse(html.contains("id=\"" + id + "\""), id);
        assertTrue(html.contains("id=\"leaderboard\""));
        assertFalse(Files.exists(dir.resolve("charts")), "no chart written");
    }

    /** One completed trial: every chart but the importance, which says why it is missing. */
    @Test
    void oneCompletedTrialHasChartsButNoImportance() throws IOException {
        Study study = Study.create(SPACE, Direction.MAXIMIZE, new RandomSampler(), Pruner.none(), 1);
        study.optimize(t -> 0.5, 1, null, 1);
        Importances imp = importancesOrReason(study);
        assertFalse(imp.available());
        TuneReport.write(dir, contents(SPACE, study.trials(), imp));
        String html = Files.readString(dir.resolve(TuneReport.HTML));
        assertTrue(html.contains("<h2 id=\"importance\">Parameter importance</h2>\n<p>Parameter importance needs at least 2 completed trials with a finite value, got 1.</p>"), html);
        assertEquals(3, images(html).size(), "history, parallel coordinates, slice");
        assertFalse(Files.exists(dir.resolve(TuneReport.IMPORTANCE)));
        assertChart(dir.resolve(TuneReport.SLICE), SliceChart.WIDTH, SliceChart.height(5));
    }

    /**
     * Parameters that took a single value (the categorical one always "adam", the integer always
     * 64) get no importance and a one-tick axis instead of a division by zero.
     */
    @Test
    void aParameterWithOneDistinctValueIsDrawnAndHasNoImportance() throws IOException {
        SearchSpace space = SearchSpace.of(Parameter.of("x", uniform(0, 1)), Parameter.of("opt", categorical("sgd", "adam")),
                Parameter.of("batch", intRange(16, 128, 16)));
        List<FrozenTrial> trials = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double x = i / 11.0;
            trials.add(new FrozenTrial(i, new Params(Map.of("x", x, "opt", "adam", "batch", 64)), TrialState.COMPLETE, x * x, new TreeMap<>(), null));
        }
        Importances imp = Importances.of(ParamImportances.compute(space, trials));
        assertEquals(1.0, imp.values().get("x"), 1e-12, "only x varied: " + imp);
        assertEquals(0.0, imp.values().get("opt"), 0.0);
        assertEquals(0.0, imp.values().get("batch"), 0.0);
        TuneReport.write(dir, contents(space, trials, imp));
        assertChart(dir.resolve(TuneReport.PARALLEL), ParallelCoordinatesChart.WIDTH, ParallelCoordinatesChart.HEIGHT);
        assertChart(dir.resolve(TuneReport.SLICE), SliceChart.WIDTH, SliceChart.height(3));
        assertChart(dir.resolve(TuneReport.IMPORTANCE), ImportanceChart.WIDTH, ImportanceChart.height(3));
    }

    private static Importances importancesOrReason(Study study) {
        try {
            return Importances.of(ParamImportances.compute(study));
        } catch (IllegalArgumentException e) {
            return Importances.unavailableBecause(e.getMessage());
        }
    }
}
