package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.descent.cli.run.RunInfo;
import dev.descent.data.Folds;
import dev.descent.data.Scaler;
import dev.descent.data.Split;
import dev.descent.data.TensorDataset;
import dev.descent.search.Direction;
import dev.descent.study.JdbcStudyStorage;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent tune} end to end on the built-in digits: a study, its continuation, cross-validation, bad input. */
class TuneCommandTest {
    @TempDir Path dir;

    private static final String BASE = """
            seed: 5
            data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
            model: [linear: 16, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1}
            train: {epochs: 1, batch_size: 64}
            metrics: [accuracy]
            """;

    private static final String SEARCH = """
            search:
              metric: val_accuracy
              sampler: random
              trials: 4
              parallel: 2
              params:
                optimizer.lr: {log_uniform: [1.0e-3, 3.0e-1]}
                optimizer.name: {choices: [sgd, adam]}
                optimizer.momentum: {uniform: [0.0, 0.9], when: {optimizer.name: sgd}}
                train.batch_size: {int: [32, 128], step: 32}
            """;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** leaderboard.csv as maps from column to cell, in rank order. */
    private static List<Map<String, String>> board(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("leaderboard.csv"));
        String[] header = lines.get(0).split(",", -1);
        return lines.subList(1, lines.size()).stream().map(l -> {
            String[] cells = l.split(",", -1);
            assertEquals(header.length, cells.length, l);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) row.put(header[i], cells[i]);
            return row;
        }).toList();
    }

    private static double lastValAccuracy(Path run) throws IOException {
        List<JsonNode> evals = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "eval");
        assertFalse(evals.isEmpty(), run + " validated");
        return evals.get(evals.size() - 1).get("val_accuracy").asDouble();
    }

    private Cli.Result tune(String yaml, String... more) throws IOException {
        Path cfg = Cli.write(dir, "t.yaml", yaml);
        String[] args = new String[4 + more.length];
        args[0] = "tune";
        args[1] = cfg.toString();
        args[2] = "--threads";
        args[3] = "1";
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.run(args);
    }

    /**
     * Four trials two at a time: one leaderboard row each, ranked by the value each trial's own run
     * measured; best.yaml trains; re-running with --trials 6 adds trials 4 and 5 and leaves 0-3 as
     * they were.
     */
    @Test
    void runsAStudyWritesBestAndContinuesIt() throws IOException {
        Path out = dir.resolve("study");
        var r = tune(BASE + SEARCH, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Map<String, String>> first = board(out);
        assertEquals(4, first.size(), r.out());
        assertEquals(List.of("0", "1", "2", "3"), first.stream().map(m -> m.get("trial")).sorted().toList());
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < first.size(); i++) {
            Map<String, String> row = first.get(i);
            assertEquals(String.valueOf(i + 1), row.get("rank"));
            assertEquals("complete", row.get("state"), row.toString());
            double v = Double.parseDouble(row.get("val_accuracy"));
            assertTrue(v <= previous, "ranked best first (maximizing accuracy): " + first);
            previous = v;
            Path trial = out.resolve("trials").resolve(String.format("%04d", Integer.parseInt(row.get("trial"))));
            assertEquals(lastValAccuracy(trial), v, 1e-12, "the value is what the trial's run measured");
            // momentum is searched only for sgd
            assertEquals(row.get("optimizer.name").equals("sgd"), !row.get("optimizer.momentum").isEmpty(), row.toString());
        }
        assertTrue(r.out().contains("rank") && r.out().contains("best: trial " + first.get(0).get("trial")), r.out());

        JsonNode best = YAML.readTree(out.resolve("best.yaml").toFile());
        assertFalse(best.has("search"), "best.yaml is a plain run config");
        Map<String, String> top = first.get(0);
        assertEquals(Double.parseDouble(top.get("optimizer.lr")), best.at("/optimizer/lr").asDouble(), 0.0);
        assertEquals(top.get("optimizer.name"), best.at("/optimizer/name").asText());
        assertEquals(Integer.parseInt(top.get("train.batch_size")), best.at("/train/batch_size").asInt());
        String html = Files.readString(out.resolve("tune.html"));
        for (String id : List.of("history", "importance", "parallel", "slice")) assertTrue(html.contains("<h2 id=\"" + id + "\">"), "tune.html section " + id);
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1, "tune.html embeds history, importance, parallel coordinates and slice");
        // momentum is searched only for sgd, so unless every trial drew sgd it has no importance.
        assertTrue(r.out().contains("parameter importance (fANOVA): "), r.out());
        assertTrue(r.out().contains("optimizer.lr ") && r.out().contains("train.batch_size "), r.out());

        // best.yaml repeats the best trial: same seed, same split, same params, same value.
        Path again = dir.resolve("again");
        var t = Cli.run("train", out.resolve("best.yaml").toString(), "--out", again.toString(), "--threads", "1", "--quiet");
        assertEquals(0, t.code(), t.err());
        assertEquals(Double.parseDouble(top.get("val_accuracy")), lastValAccuracy(again), 1e-9, "training best.yaml repeats the trial");

        var more = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "6");
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("4 trials so far"), more.out());
        List<Map<String, String>> second = board(out);
        assertEquals(6, second.size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), second.stream().map(m -> m.get("trial")).sorted().toList());
        for (Map<String, String> before : first) {
            Map<String, String> after = second.stream().filter(m -> m.get("trial").equals(before.get("trial"))).findFirst().orElseThrow();
            before.forEach((k, v) -> {
                if (!k.equals("rank")) assertEquals(v, after.get(k), "trial " + before.get("trial") + " column " + k + " unchanged");
            });
        }
        // Nothing left to do: the same command again runs no trial.
        var none = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "6");
        assertEquals(0, none.code(), none.err());
        assertEquals(6, board(out).size());
        assertFalse(none.out().contains("trial 6 "), none.out());
    }

    /** With cv the value is the mean of the folds' own final validation accuracies, and std their spread. */
    @Test
    void crossValidationAveragesTheFolds() throws IOException {
        String yaml = BASE.replace("validation_split: 0.2, ", "") + """
                search:
                  metric: val_accuracy
                  sampler: random
                  trials: 2
                  parallel: 2
                  cv: {folds: 3, stratified: true}
                  params:
                    optimizer.lr: {log_uniform: [1.0e-2, 3.0e-1]}
                """;
        Path out = dir.resolve("cv");
        var r = tune(yaml, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Map<String, String>> rows = board(out);
        assertEquals(2, rows.size());
        for (Map<String, String> row : rows) {
            Path trial = out.resolve("trials").resolve(String.format("%04d", Integer.parseInt(row.get("trial"))));
            double[] folds = new double[3];
            double mean = 0;
            for (int f = 0; f < 3; f++) {
                folds[f] = lastValAccuracy(trial.resolve("fold-" + (f + 1)));
                mean += folds[f] / 3;
            }
            assertEquals(mean, Double.parseDouble(row.get("val_accuracy")), 1e-12, row.toString());
            double ss = 0;
            for (double v : folds) ss += (v - mean) * (v - mean);
            assertEquals(Math.sqrt(ss / 2), Double.parseDouble(row.get("std")), 1e-9, row.toString());
            assertTrue(Double.parseDouble(row.get("std")) > 0, "folds differ");
        }
    }

    /**
     * Each fold's scaler is fitted on that fold's training rows only: the scaler a fold's run
     * saved (run.json) equals Standard.fit over the rows of the other folds, with the folds as
     * TuneObjective draws them (k-fold, shuffled by the base seed), and differs from the scaler of
     * all rows. Feature b jumps from i to 10 i after row 9, so the folds' statistics differ.
     */
    @Test
    void crossValidationFitsTheScalerOnEachFoldsTrainingRows() throws IOException {
        int n = 30;
        float[] x = new float[n * 2];
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = i < 10 ? i : 10 * i;
            csv.append(i).append(',').append(i < 10 ? i : 10 * i).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("cv.csv"), csv);
        String yaml = """
                seed: 3
                data: {train: cv.csv, target: y, scale: standard}
                model: [linear: 1]
                loss: mse
                optimizer: {name: sgd, lr: 0.01}
                train: {epochs: 1, batch_size: 8}
                search:
                  metric: val_loss
                  sampler: random
                  trials: 1
                  cv: {folds: 3}
                  params:
                    optimizer.lr: {log_uniform: [1.0e-3, 1.0e-2]}
                """;
        Path out = dir.resolve("cvscale");
        var r = tune(yaml, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Tensor all = Tensor.of(x, n, 2);
        List<Split> folds = Folds.kFold(n, 3, true, Generator.seeded(3));
        for (int f = 0; f < 3; f++) {
            Scaler used = RunInfo.read(out.resolve("trials/0000/fold-" + (f + 1))).scaler().toScaler();
            Scaler expected = Scaler.Standard.fit(new TensorDataset(all, all).subset(folds.get(f).train()).features());
            assertEquals(expected, used, "fold " + (f + 1));
            assertNotEquals(Scaler.Standard.fit(all), used, "fold " + (f + 1) + " did not see its validation rows");
        }
    }

    /**
     * Grid order makes this deterministic: trial 0 (lr 0.5) completes, trial 1 (lr 1e-6, which
     * learns nothing in an epoch) is worse at its first validation and the median pruner (one
     * startup trial) stops it there, one epoch of three.
     */
    @Test
    void medianPrunerStopsAHopelessTrial() throws IOException {
        String yaml = BASE.replace("epochs: 1", "epochs: 3") + """
                search:
                  metric: val_loss
                  sampler: grid
                  pruner: {name: median, startup_trials: 1}
                  trials: 2
                  params:
                    optimizer.lr: {choices: [0.5, 1.0e-6]}
                """;
        Path out = dir.resolve("prune");
        var r = tune(yaml, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Map<String, String>> rows = board(out);
        assertEquals(List.of("0", "1"), rows.stream().map(m -> m.get("trial")).toList(), "minimizing val_loss: the completed trial first");
        assertEquals("complete", rows.get(0).get("state"));
        assertEquals(3, TrainCommandTest.lines(out.resolve("trials/0000/metrics.jsonl"), "eval").size());
        assertEquals("pruned", rows.get(1).get("state"));
        List<JsonNode> evals = TrainCommandTest.lines(out.resolve("trials/0001/metrics.jsonl"), "eval");
        assertEquals(1, evals.size(), "stopped after its first validation");
        assertEquals(evals.get(0).get("val_loss").asDouble(), Double.parseDouble(rows.get(1).get("val_loss")), 1e-12, "its value is the one it was pruned at");
    }

    /**
     * A trial a killed process left running is recorded as failed ("interrupted") once its
     * heartbeat is older than the grace period (here 0.2 s), and counts toward the budget: trials
     * 0-2 done plus the interrupted 3 make 4; the run waits for it rather than leaving it stuck.
     */
    @Test
    void anInterruptedTrialCountsAsFailed() throws IOException {
        Path out = dir.resolve("int");
        String search = SEARCH + "  heartbeat_interval: 0.1s\n";
        var r = tune(BASE + search, "--out", out.toString(), "--trials", "3", "--parallel", "1");
        assertEquals(0, r.code(), r.err());
        try (JdbcStudyStorage db = JdbcStudyStorage.open("jdbc:sqlite:" + out.resolve("study.db"))) {
            db.createTrial(db.createStudy("t", Direction.MAXIMIZE));   // left RUNNING, as by a kill
        }
        var again = tune(BASE + search, "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        List<Map<String, String>> rows = board(out);
        assertEquals(4, rows.size(), "trials: 4 in all, the interrupted one included");
        Map<String, String> last = rows.get(rows.size() - 1);
        assertEquals("3", last.get("trial"));
        assertEquals("fail", last.get("state"));
        assertTrue(last.get("error").contains("interrupted"), last.toString());
    }

    /**
     * A study keeps the space, direction and metric it was created with: a configuration that
     * changes any of them is refused in one line naming the study, its file and the first difference, and the
     * study is left as it was. The same space with its keys in another order continues it.
     */
    @Test
    void aChangedSearchSpaceDirectionOrMetricIsRefused() throws Exception {
        Path out = dir.resolve("space");
        var r = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "2", "--parallel", "1");
        assertEquals(0, r.code(), r.err());
        String leaderboard = Files.readString(out.resolve("leaderboard.csv"));
        String db = out.resolve("study.db").toAbsolutePath().toString();

        var wider = tune(BASE + SEARCH.replace("{log_uniform: [1.0e-3, 3.0e-1]}", "{log_uniform: [1.0e-4, 3.0e-1]}"), "--out", out.toString(), "--trials", "3");
        assertEquals(2, wider.code(), wider.out() + wider.err());
        assertEquals("descent tune: error: study \"t\" in " + db + " was created with optimizer.lr: log_uniform [0.001, 0.3]; this config has optimizer.lr:"
                + " log_uniform [1e-4, 0.3]; use another study name or storage", wider.errorLines());

        var sgdOnly = tune(BASE + SEARCH.replace("when: {optimizer.name: sgd}", "when: {optimizer.name: [sgd, adam]}"), "--out", out.toString(), "--trials", "3");
        assertEquals(2, sgdOnly.code(), sgdOnly.out() + sgdOnly.err());
        assertTrue(sgdOnly.errorLines().contains("was created with optimizer.momentum: uniform [0, 0.9] when optimizer.name in [sgd];"
                + " this config has optimizer.momentum: uniform [0, 0.9] when optimizer.name in [sgd, adam]"), sgdOnly.errorLines());

        var fewer = tune(BASE + SEARCH.replace("    train.batch_size: {int: [32, 128], step: 32}\n", ""), "--out", out.toString(), "--trials", "3");
        assertEquals(2, fewer.code(), fewer.out() + fewer.err());
        assertTrue(fewer.errorLines().contains("was created with train.batch_size: int [32, 128] step 32; this config has no parameter train.batch_size"),
                fewer.errorLines());

        var minimizing = tune(BASE + SEARCH.replace("metric: val_accuracy", "metric: val_accuracy\n  direction: minimize"), "--out", out.toString(), "--trials", "3");
        assertEquals(2, minimizing.code(), minimizing.out() + minimizing.err());
        assertEquals("descent tune: error: study \"t\" in " + db + " was created with direction maximize; this config has direction minimize;"
                + " use another study name or storage", minimizing.errorLines());

        // another metric of the same direction would mix two measures in one history
        var otherMetric = tune(BASE.replace("metrics: [accuracy]", "metrics: [accuracy, f1_macro]") + SEARCH.replace("metric: val_accuracy", "metric: val_f1_macro"),
                "--out", out.toString(), "--trials", "3");
        assertEquals(2, otherMetric.code(), otherMetric.out() + otherMetric.err());
        assertEquals("descent tune: error: study \"t\" in " + db + " was created with metric val_accuracy; this config has metric val_f1_macro;"
                + " use another study name or storage", otherMetric.errorLines());

        assertEquals(leaderboard, Files.readString(out.resolve("leaderboard.csv")), "refused runs leave the study alone");
        assertFalse(Files.exists(out.resolve("trials/0002")), "and run no trial");

        String reordered = SEARCH.replace("    optimizer.lr: {log_uniform: [1.0e-3, 3.0e-1]}\n", "")
                .replace("    train.batch_size:", "    optimizer.lr: {log_uniform: [1.0e-3, 3.0e-1]}\n    train.batch_size:");
        var same = tune(BASE + reordered, "--out", out.toString(), "--trials", "3");
        assertEquals(0, same.code(), same.err());
        assertEquals(3, board(out).size());
    }

    /**
     * A study database written before spaces were stored (schema version 1) has none: the first
     * run adopts its configuration's space and holds later runs to it.
     */
    @Test
    void aStudyWithoutAStoredSpaceAdoptsTheConfigs() throws Exception {
        Path out = dir.resolve("adopt");
        var r = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "1", "--parallel", "1");
        assertEquals(0, r.code(), r.err());
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + out.resolve("study.db")); var st = c.createStatement()) {
            st.execute("UPDATE studies SET search_space = NULL");
        }
        String changed = BASE + SEARCH.replace("{log_uniform: [1.0e-3, 3.0e-1]}", "{log_uniform: [1.0e-4, 3.0e-1]}");
        var adopted = tune(changed, "--out", out.toString(), "--trials", "2");
        assertEquals(0, adopted.code(), adopted.err());
        assertEquals(2, board(out).size());
        var refused = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "3");
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.errorLines().contains("was created with optimizer.lr: log_uniform [1e-4, 0.3]"), refused.errorLines());
    }

    /** --timeout stops starting trials: far fewer than --trials run, and the study is written. */
    @Test
    void timeoutEndsTheStudy() throws IOException {
        Path out = dir.resolve("time");
        var r = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "1000", "--timeout", "1s");
        assertEquals(0, r.code(), r.err());
        int n = board(out).size();
        assertTrue(n >= 1 && n < 100, n + " trials");
        var bad = tune(BASE + SEARCH, "--out", out.toString(), "--timeout", "ten minutes");
        assertEquals(2, bad.code());
        assertTrue(bad.errorLines().contains("--timeout"), bad.err());
    }

    /** descent train takes the same file as the base configuration: search: and compare: are ignored there. */
    @Test
    void trainAcceptsSearchAndCompareSections() throws IOException {
        Path cfg = Cli.write(dir, "t.yaml", BASE + SEARCH + "compare:\n  variants: [{name: a}]\n");
        var r = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString(), "--threads", "1", "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    private void badInput(String yaml, String... expected) throws IOException {
        var r = tune(yaml, "--out", dir.resolve("bad").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.errorLines();
        assertEquals(1, err.lines().count(), err);
        for (String e : expected) assertTrue(err.contains(e), "'" + e + "' in: " + err);
        assertFalse(Files.exists(dir.resolve("bad").resolve("trials")), "no trial ran");
    }

    @Test
    void emptySearchSpace() throws IOException {
        badInput(BASE + "search: {metric: val_accuracy, trials: 2, params: {}}\n", "search.params");
    }

    @Test
    void contradictorySearchSpace() throws IOException {
        badInput(BASE + SEARCH.replace("when: {optimizer.name: sgd}", "when: {optimizer.name: rmsprop}"), "optimizer.momentum", "rmsprop");
        badInput(BASE + SEARCH.replace("{log_uniform: [1.0e-3, 3.0e-1]}", "{log_uniform: [0.0, 3.0e-1]}"), "search.params.optimizer.lr");
    }

    @Test
    void unknownMetric() throws IOException {
        badInput(BASE + SEARCH.replace("metric: val_accuracy", "metric: val_acuracy"), "val_acuracy", "did you mean 'val_accuracy'");
    }

    @Test
    void unknownParameterPath() throws IOException {
        badInput(BASE + SEARCH.replace("optimizer.lr:", "optimizer.lrr:"), "search.params.optimizer.lrr", "lrr");
        badInput(BASE + SEARCH.replace("train.batch_size:", "model.width:"), "search.params.model.width");
    }

    /**
     * Another process holds the write lock of a study's database past the busy timeout (10 s):
     * exit 2 naming the file, and the study keeps every trial; once the lock is gone the same
     * command continues it.
     */
    @Test
    void lockedDatabase() throws Exception {
        Path out = dir.resolve("locked");
        var first = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "2", "--parallel", "1");
        assertEquals(0, first.code(), first.err());
        String before = Files.readString(out.resolve("leaderboard.csv"));
        Path db = out.resolve("study.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            st.execute("UPDATE descent_meta SET value = value");
            var r = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "3");
            assertEquals(2, r.code(), r.out() + r.err());
            assertEquals(1, r.errorLines().lines().count(), r.err());
            assertTrue(r.errorLines().contains(db.toString()) && r.errorLines().contains("locked"), r.err());
            st.execute("ROLLBACK");
        }
        assertEquals(before, Files.readString(out.resolve("leaderboard.csv")));
        try (JdbcStudyStorage s = JdbcStudyStorage.open("jdbc:sqlite:" + db)) {
            assertEquals(List.of("COMPLETE", "COMPLETE"), s.trials(s.createStudy("t", Direction.MAXIMIZE)).stream().map(t -> t.state().name()).toList(),
                    "no trial lost, none left running");
        }
        var again = tune(BASE + SEARCH, "--out", out.toString(), "--trials", "3");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("2 trials so far"), again.out());
        assertEquals(3, board(out).size());
    }

    /** Trial directories without the database that numbered them: every trial would collide, so none starts. */
    @Test
    void trialDirectoriesOfAnotherStudy() throws IOException {
        Path out = dir.resolve("bad");
        Files.createDirectories(out.resolve("trials/0000"));
        var r = tune(BASE + SEARCH, "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.errorLines().contains("0000"), r.err());
    }

    @Test
    void corruptDatabase() throws IOException {
        Path out = dir.resolve("bad");
        Files.createDirectories(out);
        Files.writeString(out.resolve("study.db"), "this is not a database, just text long enough to have a header............\n".repeat(20));
        var r = tune(BASE + SEARCH, "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().contains("study.db"), r.err());
    }
}
