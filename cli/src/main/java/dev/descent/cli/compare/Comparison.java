package dev.descent.cli.compare;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.build.TensorBoardOption;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.report.CompareReport;
import dev.descent.cli.run.TrainingRun;
import dev.descent.tensor.Tensor;
import dev.descent.train.Callback;
import dev.descent.train.Callbacks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every variant of a {@link CompareSpec} through {@link TrainingRun} (and so the Trainer), one
 * after another so that their wall times are comparable, then writes the comparison.
 *
 * <p>Every variant is checked (configuration and data) before any trains, so a typo in the last
 * variant costs nothing. All start from the base configuration's initial weights, and share its
 * seed and so its data order. A variant that fails (a non-finite loss stops it) is recorded as
 * diverged and the others go on.
 */
public final class Comparison {
    /** Where each variant's own run directory goes, under the comparison's. */
    public static final String VARIANTS = "variants";

    /** Steps each variant trains, and throws away, before the timed runs. */
    static final int WARM_UP_STEPS = 20;

    /** One finished variant. */
    public record Result(String name, Curves curves, Summary summary, String reason, String metric) {}

    private Comparison() {}

    public static List<Result> run(ConfigFile file, Path dir, PrintStream out) throws IOException {
        CompareSpec spec = CompareSpec.of(file);
        Map<String, Tensor> initial = TrainingRun.initialState(CompareSpec.base(file));
        // With the initial weights, so a variant whose model cannot take them fails here too.
        for (CompareSpec.Variant v : spec.variants()) {
            try {
                TrainingRun.run(onBoard(v, dir), variantDir(dir, v), options(out, initial, List.of(), true));
            } catch (ConfigException e) {
                throw new ConfigException(v.label() + ": " + e.getMessage());
            }
        }
        warmUp(spec, initial, out);
        List<Result> results = new ArrayList<>();
        for (CompareSpec.Variant v : spec.variants()) {
            out.println("variant " + v.name());
            Recorder recorder = new Recorder();
            TrainingRun.Outcome outcome;
            try {
                outcome = TrainingRun.run(onBoard(v, dir), variantDir(dir, v), options(out, initial, List.of(recorder), false));
            } catch (ConfigException e) {
                throw new ConfigException(v.label() + ": " + e.getMessage());
            }
            Curves curves = recorder.curves();
            String metric = recorder.metric() == null ? "val_loss" : recorder.metric();
            Summary summary = Summary.of(curves, Callbacks.higherIsBetter(metric), spec.targetLoss(), outcome.result().reason());
            results.add(new Result(v.name(), curves, summary, outcome.result().reason(), metric));
        }
        CompareTable table = CompareTable.of(results, spec.targetLoss());
        out.println();
        out.print(table.text());
        List<CompareReport.Entry> entries = new ArrayList<>();
        for (Result r : results) {
            Curves c = r.curves();
            entries.add(new CompareReport.Entry(r.name(), c.step(), c.seconds(), c.loss(), c.lr(), c.evalStep(), c.evalSeconds(), c.valLoss()));
        }
        CompareReport.write(dir, "Comparison: " + name(file.source()), entries, table.header(), table.rows(), Files.readString(file.source()));
        return results;
    }

    private static String name(Path source) {
        return source.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

    /**
     * Trains every variant for {@value #WARM_UP_STEPS} steps into a scratch directory and throws it
     * away. Without it the first variants run while the JIT is still compiling the kernels and look
     * several times slower per step than the later ones, which makes the wall-time chart lie.
     */
    private static void warmUp(CompareSpec spec, Map<String, Tensor> initial, PrintStream out) throws IOException {
        Path scratch = Files.createTempDirectory("descent-compare-warmup");
        try {
            for (CompareSpec.Variant v : spec.variants()) {
                ObjectNode budget = JsonNodeFactory.instance.objectNode();
                budget.putObject("train").put("max_steps", WARM_UP_STEPS);
                budget.putObject("callbacks").put("tensorboard", false);
                ConfigFile brief = new ConfigFile(v.config().source(), ConfigMerge.merge(v.config().root(), budget));
                TrainingRun.run(brief, scratch.resolve(v.name()), options(out, initial, List.of(), false));
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * With TensorBoard on, every variant writes into {@code OUT/tb/<variant>}, one run per variant
     * under one directory, so {@code tensorboard --logdir OUT/tb} overlays their curves by name.
     */
    private static ConfigFile onBoard(CompareSpec.Variant v, Path dir) {
        return TensorBoardOption.redirect(v.config(), dir.resolve(TensorBoardOption.DEFAULT_DIR).resolve(v.name()));
    }

    private static Path variantDir(Path dir, CompareSpec.Variant v) {
        return dir.resolve(VARIANTS).resolve(v.name());
    }

    private static TrainingRun.Options options(PrintStream out, Map<String, Tensor> initial, List<Callback> extra, boolean check) {
        return new TrainingRun.Options(out, false, false, null, extra, false, initial, check);
    }
}
