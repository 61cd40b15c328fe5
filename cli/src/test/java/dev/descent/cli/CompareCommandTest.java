package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent compare} end to end on the built-in digits: shared start, table, charts, divergence, bad variants. */
class CompareCommandTest {
    @TempDir Path dir;

    private static final String BASE = """
            seed: 3
            data: {train: builtin:digits.csv, target: digit, scale: {divide: 16}}
            model: [linear: 16, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1}
            train: {epochs: 2, batch_size: 128, shuffle: false}
            """;

    private static double firstLoss(Path run) throws IOException {
        return TrainCommandTest.lines(run.resolve("metrics.jsonl"), "step").get(0).get("loss").asDouble();
    }

    /**
     * Three variants, one of them diverging, one with another seed and a dropout layer that shifts
     * the layer indices: all start from the base weights (their first losses, on the same first
     * batch before any update, are equal), the diverging one is marked and the others complete.
     */
    @Test
    void comparesVariantsFromTheSameStart() throws IOException {
        String yaml = BASE.replace("data: {", "data: {validation_split: 0.2, ") + """
                metrics: [accuracy]
                compare:
                  target_loss: 1.5
                  variants:
                    - {name: sgd}
                    - {name: adam, optimizer: {name: adam, lr: 0.01}}
                    - {name: boom, optimizer: {lr: 5000.0}}
                """;
        Path out = dir.resolve("cmp");
        var r = Cli.run("compare", Cli.write(dir, "c.yaml", yaml).toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());

        double sgd = firstLoss(out.resolve("variants/sgd")), adam = firstLoss(out.resolve("variants/adam"));
        assertEquals(sgd, adam, 0.0, "same weights, same first batch, no update yet");
        assertEquals(sgd, firstLoss(out.resolve("variants/boom")), 0.0);

        List<String> rows = r.out().lines().filter(l -> l.matches("^(sgd|adam|boom)\\s.*")).toList();
        assertEquals(3, rows.size(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("variant ") && l.contains("best val_accuracy")), r.out());
        for (String row : rows) {
            boolean boom = row.startsWith("boom");
            assertEquals(boom, row.contains(" yes "), "diverged column: " + row);
            if (!boom) assertTrue(row.endsWith("completed"), row);
        }
        // Adam at lr 0.01 gets its validation loss under 1.5 within two epochs; the diverging run never does.
        String adamRow = rows.stream().filter(l -> l.startsWith("adam")).findFirst().orElseThrow();
        assertTrue(adamRow.split("\\s+")[4].matches("\\d+"), r.out());
        String boomRow = rows.stream().filter(l -> l.startsWith("boom")).findFirst().orElseThrow();
        assertEquals("-", boomRow.split("\\s+")[4], r.out());

        for (String png : List.of("loss_vs_steps.png", "loss_vs_seconds.png", "learning_rate.png")) {
            BufferedImage img = ImageIO.read(out.resolve("charts").resolve(png).toFile());
            assertNotNull(img, png + " decodes");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
        }
        String html = Files.readString(out.resolve("compare.html"));
        assertEquals(3, html.split("data:image/png;base64,", -1).length - 1, "three embedded charts");
        assertEquals(3, html.split("<tr><td>", -1).length - 1, "one table row per variant");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    /** A variant with another seed (and so other initial weights of its own) still starts from the base weights. */
    @Test
    void everyVariantStartsFromTheBaseWeights() throws IOException {
        String yaml = BASE + """
                compare:
                  variants:
                    - {name: base}
                    - {name: reseeded, seed: 99, model: [linear: 16, relu, dropout: 0.0, linear: 10]}
                """;
        Path out = dir.resolve("cmp");
        var r = Cli.run("compare", Cli.write(dir, "c.yaml", yaml).toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(firstLoss(out.resolve("variants/base")), firstLoss(out.resolve("variants/reseeded")), 0.0);

        // Control: trained on its own, seed 99 gives other weights and so another first loss.
        Path alone = Cli.write(dir, "alone.yaml", BASE.replace("seed: 3", "seed: 99"));
        var t = Cli.run("train", alone.toString(), "--out", dir.resolve("alone").toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertNotEquals(firstLoss(out.resolve("variants/base")), firstLoss(dir.resolve("alone")));
    }

    @Test
    void aVariantWithAnUnknownKeyFailsBeforeAnyTraining() throws IOException {
        String yaml = BASE + """
                compare:
                  variants:
                    - {name: fine}
                    - {name: typo, optimizer: {lr: 0.1, momentun: 0.9}}
                """;
        Path out = dir.resolve("cmp");
        var r = Cli.run("compare", Cli.write(dir, "c.yaml", yaml).toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        String err = r.errorLines();
        assertTrue(err.contains("compare.variants[1] (typo)") && err.contains("optimizer.momentun") && err.contains("momentum"), err);
        assertFalse(Files.exists(out.resolve("variants/fine/metrics.jsonl")), "the first variant must not have trained");
        assertFalse(Files.exists(out.resolve("compare.html")));
    }

    @Test
    void aVariantWhoseModelCannotTakeTheBaseWeightsFailsBeforeAnyTraining() throws IOException {
        String yaml = BASE + """
                compare:
                  variants:
                    - {name: fine}
                    - {name: wide, model: [linear: 32, relu, linear: 10]}
                """;
        Path out = dir.resolve("cmp");
        var r = Cli.run("compare", Cli.write(dir, "c.yaml", yaml).toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errorLines().contains("compare.variants[1] (wide): model:") && r.errorLines().contains("same weights"), r.err());
        assertFalse(Files.exists(out.resolve("variants/fine/metrics.jsonl")));
    }

    @Test
    void anUnknownTopLevelKeyInAVariantIsNamedWithASuggestion() throws IOException {
        String yaml = BASE + """
                compare:
                  variants:
                    - {name: a, optimiser: {lr: 0.1}}
                """;
        var r = Cli.run("compare", Cli.write(dir, "c.yaml", yaml).toString(), "--out", dir.resolve("cmp").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errorLines().contains("compare.variants[0] (a): optimiser: unknown key") && r.errorLines().contains("optimizer"), r.err());
    }

    @Test
    void duplicateNamesAndAMissingSectionAreConfigErrors() throws IOException {
        var dup = Cli.run("compare", Cli.write(dir, "d.yaml", BASE + "compare: {variants: [{name: a}, {name: a}]}\n").toString(),
                "--out", dir.resolve("d").toString());
        assertEquals(2, dup.code());
        assertTrue(dup.errorLines().contains("compare.variants[1].name"), dup.err());
        var none = Cli.run("compare", Cli.write(dir, "n.yaml", BASE).toString(), "--out", dir.resolve("n").toString());
        assertEquals(2, none.code());
        assertTrue(none.errorLines().contains("no 'compare:' section"), none.err());
    }

}
