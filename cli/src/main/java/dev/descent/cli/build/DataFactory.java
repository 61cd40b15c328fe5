package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.cli.run.RunInfo;
import dev.descent.data.ClassLabels;
import dev.descent.data.Csv;
import dev.descent.data.CsvTable;
import dev.descent.data.DataException;
import dev.descent.data.Idx;
import dev.descent.data.Scaler;
import dev.descent.data.Split;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the data of a config's {@code data:} mapping with the core readers ({@link Csv},
 * {@link Tabular}, {@link Idx}) and prepares it as training expects:
 *
 * <ul>
 *   <li>{@code train}, {@code validation}, {@code test}: a CSV file, {@code {images: F, labels: F}}
 *       for IDX (MNIST, Fashion-MNIST; gzipped or not), or {@code builtin:digits.csv} for the data
 *       set inside the jar. Paths are relative to the config file.
 *   <li>{@code target}: the CSV target column (default: the last column); every other column is a
 *       numeric feature.
 *   <li>{@code validation_split}, {@code test_split}: fractions of the training file held out
 *       (stratified by class for classification, seeded by the run's seed); test first.
 *   <li>{@code split_seed}: seeds those splits instead of the run's seed, so runs with different
 *       seeds (tune's trials) can still validate on the same rows.
 *   <li>{@code scale}: {@code none} (default), {@code standard}, {@code minmax} or
 *       {@code {divide: c}}, fitted on the training rows only and applied to every split (with a
 *       {@link DataSelection} holdout, on the rows left to train on).
 * </ul>
 *
 * Class labels are fitted on the training rows; validation and test rows with a label training has
 * not seen are errors naming file and line.
 */
public final class DataFactory {
    public static final String BUILTIN = "builtin:";

    private DataFactory() {}

    /**
     * Everything training needs from the data.
     *
     * @param validation null when there is none
     * @param test       null when there is none
     * @param info       what eval and predict need to prepare new data the same way
     */
    public record Prepared(TensorDataset train, TensorDataset validation, TensorDataset test, RunInfo info) {
        public ClassLabels classes() {
            return info.classLabels();
        }
    }

    /** Raw examples and targets before scaling: targets are class indices or values, [N]. */
    private record Raw(Tensor x, Tensor y, List<String> features) {}

    public static Prepared prepare(ConfigFile config, Section data, LossFactory.Built loss, long seed) {
        return prepare(config, data, loss, seed, DataSelection.ALL);
    }

    /**
     * Whether a {@code data:} mapping gives validation rows of its own: a validation file or a
     * validation_split (without them a run can only validate on a cross-validation fold).
     */
    public static boolean hasValidation(Section data) {
        JsonNode file = data.raw("validation"), split = data.raw("validation_split");
        return (file != null && !file.isNull()) || (split != null && split.isNumber() && split.asDouble() != 0);
    }

    /** The data with only the rows {@code selection} keeps; the scaler is fitted on the rows left to train on. */
    public static Prepared prepare(ConfigFile config, Section data, LossFactory.Built loss, long seed, DataSelection selection) {
        Task task = loss.task();
        JsonNode trainNode = data.raw("train");
        if (trainNode == null || trainNode.isNull()) throw new ConfigException("data.train: required (a CSV file, {images: F, labels: F} or {text: F})");
        if (trainNode.isObject() && trainNode.has("text")) return TextData.prepare(config, data, loss, selection);
        boolean idx = trainNode.isObject();
        String target = data.string("target", null);
        double valSplit = data.number("validation_split", 0), testSplit = data.number("test_split", 0);
        JsonNode valNode = data.raw("validation"), testNode = data.raw("test");
        JsonNode scaleNode = data.raw("scale");
        long splitSeed = data.has("split_seed") ? data.integer("split_seed", 0) : seed;
        data.finish();
        if (valSplit != 0 && valNode != null && !valNode.isNull()) throw new ConfigException("data: give validation or validation_split, not both");
        if (testSplit != 0 && testNode != null && !testNode.isNull()) throw new ConfigException("data: give test or test_split, not both");

        ClassLabels classes = null;
        Raw train;
        List<String> featureNames = null;
        if (idx) {
            if (target != null) throw new ConfigException("data.target: only for CSV data (IDX files hold their labels)");
            TensorDataset d = readIdx(config, "data.train", trainNode);
            Tensor y = d.targets();
            if (task.classification()) {
                classes = idxClasses(y);
                y = remapKnown(y, classes, "data.train");
            }
            train = new Raw(d.features(), y, null);
        } else {
            CsvTable table = readCsv(config, "data.train", trainNode);
            if (target == null) target = table.header().get(table.header().size() - 1);
            featureNames = new ArrayList<>(table.header());
            featureNames.remove(table.column(target));
            TensorDataset d;
            if (task.classification()) {
                Tabular.Labeled l = Tabular.classification(table, target);
                classes = l.classes();
                d = l.data();
            } else {
                d = Tabular.regression(table, target);
            }
            train = new Raw(d.features(), d.targets(), featureNames);
        }
        if (classes != null && task == Task.BINARY && classes.size() != 2) {
            throw new ConfigException("loss: " + loss.name() + " needs exactly 2 classes, the training data has " + classes.size()
                    + " (" + String.join(", ", classes.names()) + "); use cross_entropy");
        }

        Generator gen = Generator.seeded(splitSeed ^ 0x51A7E5L);
        Raw test = null, validation = null;
        if (testSplit != 0) {
            Raw[] parts = split(train, testSplit, task, gen, "data.test_split");
            train = parts[0];
            test = parts[1];
        }
        if (valSplit != 0) {
            Raw[] parts = split(train, valSplit, task, gen, "data.validation_split");
            train = parts[0];
            validation = parts[1];
        }

        Raw heldOut = null;
        if (selection.holdout() != null) {
            // Before the scaler is fitted: the held-out rows must not shape it (see DataSelection).
            Raw[] parts = holdout(train, selection.holdout());
            train = parts[0];
            heldOut = parts[1];
        }

        Scaler scaler = scaler(scaleNode, train.x(), idx);
        RunInfo info = new RunInfo(idx ? "idx" : "csv", idx ? null : target, featureNames,
                Arrays.copyOfRange(train.x().shape(), 1, train.x().dim()), task.name(), loss.name(),
                classes == null ? null : classes.names(), RunInfo.ScalerParams.of(scaler), null);
        // Files are read (and so checked) even when the selection leaves their rows out.
        if (validation == null && valNode != null && !valNode.isNull()) validation = load(config, "data.validation", valNode, info);
        if (test == null && testNode != null && !testNode.isNull()) test = load(config, "data.test", testNode, info);
        if (heldOut != null) validation = heldOut;
        if (selection.withoutTest()) test = null;
        int k = classes == null ? 0 : classes.size();
        return new Prepared(finish(train, scaler, task, k), validation == null ? null : finish(validation, scaler, task, k),
                test == null ? null : finish(test, scaler, task, k), info);
    }

    /** The rows to train on and the rows to validate on, as the holdout splits the training rows. */
    private static Raw[] holdout(Raw train, Function<TensorDataset, Split> holdout) {
        TensorDataset all = new TensorDataset(train.x(), train.y());
        Split s = holdout.apply(all);
        TensorDataset a = all.subset(s.train()), b = all.subset(s.validation());
        return new Raw[] {new Raw(a.features(), a.targets(), train.features()), new Raw(b.features(), b.targets(), train.features())};
    }

    /**
     * Labeled data read the way a run read its data (eval): a CSV file with the run's columns, or
     * IDX images and labels; class names mapped through the run's classes, scaled with its scaler,
     * targets encoded for its loss.
     */
    public static TensorDataset labeled(ConfigFile config, String what, JsonNode source, RunInfo info) {
        Task task = Task.valueOf(info.task());
        ClassLabels classes = info.classLabels();
        return finish(load(config, what, source, info), info.scaler().toScaler(), task, classes == null ? 0 : classes.size());
    }

    /** Features only (predict): a CSV with the run's feature columns (others ignored) or an IDX images file; scaled. */
    public static Tensor features(Path file, RunInfo info) {
        Tensor x;
        if (info.format().equals("idx")) {
            x = Idx.readImages(file);
        } else {
            CsvTable table = Csv.read(file);
            x = Tabular.features(select(table, info.features()), -1);
        }
        checkShape(file.toString(), x, info);
        return info.scaler().toScaler().apply(x);
    }

    private static Raw load(ConfigFile config, String what, JsonNode node, RunInfo info) {
        Task task = Task.valueOf(info.task());
        ClassLabels classes = info.classLabels();
        if (info.format().equals("idx")) {
            if (!node.isObject()) throw new ConfigException(what + ": the training data is IDX, so this must be {images: F, labels: F} too");
            TensorDataset d = readIdx(config, what, node);
            checkShape(what, d.features(), info);
            return new Raw(d.features(), classes == null ? d.targets() : remapKnown(d.targets(), classes, what), null);
        }
        if (node.isObject()) throw new ConfigException(what + ": the training data is CSV, so this must be a CSV file too");
        CsvTable table = readCsv(config, what, node);
        table.column(info.target());
        CsvTable ordered = select(table, withTarget(info));
        TensorDataset d = classes != null ? Tabular.classification(ordered, info.target(), classes) : Tabular.regression(ordered, info.target());
        return new Raw(d.features(), d.targets(), info.features());
    }

    private static List<String> withTarget(RunInfo info) {
        List<String> cols = new ArrayList<>(info.features());
        cols.add(info.target());
        return cols;
    }

    /** The table with exactly these columns in this order; a missing one is an error naming it. */
    private static CsvTable select(CsvTable table, List<String> columns) {
        int[] idx = new int[columns.size()], fields = new int[columns.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = table.column(columns.get(i));
            fields[i] = table.fields()[idx[i]];
        }
        List<String[]> rows = new ArrayList<>(table.size());
        for (String[] r : table.rows()) {
            String[] out = new String[idx.length];
            for (int i = 0; i < idx.length; i++) out[i] = r[idx[i]];
            rows.add(out);
        }
        return new CsvTable(table.source(), columns, rows, table.lines(), fields);
    }

    private static void checkShape(String what, Tensor x, RunInfo info) {
        int[] per = Arrays.copyOfRange(x.shape(), 1, x.dim());
        if (!Arrays.equals(per, info.inputShape())) {
            throw new DataException(what + ": examples of shape " + Arrays.toString(per) + ", but the model was trained on "
                    + Arrays.toString(info.inputShape()));
        }
    }

    private static TensorDataset finish(Raw raw, Scaler scaler, Task task, int classes) {
        return new TensorDataset(scaler.apply(raw.x()), task.encodeTargets(raw.y(), classes));
    }

    private static Raw[] split(Raw raw, double fraction, Task task, Generator gen, String what) {
        if (!(fraction > 0 && fraction < 1)) throw new ConfigException(what + ": must be a fraction in (0, 1), got " + fraction);
        int n = raw.x().size(0);
        Split s = task.classification() ? Split.stratified(new TensorDataset(raw.x(), raw.y()).classIndices(), fraction, gen)
                : Split.random(n, fraction, gen);
        TensorDataset all = new TensorDataset(raw.x(), raw.y());
        TensorDataset a = all.subset(s.train()), b = all.subset(s.validation());
        if (a.size() == 0 || b.size() == 0) throw new ConfigException(what + ": " + fraction + " of " + n + " rows leaves one part empty");
        return new Raw[] {new Raw(a.features(), a.targets(), raw.features()), new Raw(b.features(), b.targets(), raw.features())};
    }

    private static Scaler scaler(JsonNode node, Tensor x, boolean idx) {
        if (node == null || node.isNull()) return new Scaler.None();
        if (node.isObject()) {
            Section s = new Section("data.scale", node);
            double c = s.requiredNumber("divide");
            s.finish();
            try {
                return new Scaler.Divide(c);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("data.scale.divide: " + e.getMessage());
            }
        }
        String kind = node.asText();
        List<String> kinds = List.of("none", "standard", "minmax");
        if (!kinds.contains(kind)) {
            throw new ConfigException("data.scale: unknown value '" + kind + "'" + dev.descent.cli.config.Suggest.hint(kind, kinds)
                    + " (choose from none, standard, minmax, {divide: c})");
        }
        if (!kind.equals("none") && (idx || x.dim() != 2)) {
            throw new ConfigException("data.scale: " + kind + " works on tabular features; IDX images come scaled to [0, 1] already");
        }
        return switch (kind) {
            case "standard" -> Scaler.Standard.fit(x);
            case "minmax" -> Scaler.MinMax.fit(x);
            default -> new Scaler.None();
        };
    }

    static CsvTable readCsv(ConfigFile config, String what, JsonNode node) {
        if (!node.isTextual()) throw new ConfigException(what + ": expected a CSV file name or {images: F, labels: F}");
        String name = node.asText();
        if (name.startsWith(BUILTIN)) return builtin(name.substring(BUILTIN.length()));
        return Csv.read(config.resolve(name));
    }

    /** A CSV data set shipped inside the jar (digits.csv), for the demo and for trying things out. */
    public static CsvTable builtin(String name) {
        try (InputStream in = DataFactory.class.getResourceAsStream("/data/" + name)) {
            if (in == null) throw new DataException(BUILTIN + name + ": no such built-in data set (there is builtin:digits.csv)");
            return Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), BUILTIN + name);
        } catch (IOException e) {
            throw new DataException(BUILTIN + name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static TensorDataset readIdx(ConfigFile config, String what, JsonNode node) {
        Section s = new Section(what, node);
        String images = s.requiredString("images"), labels = s.requiredString("labels");
        s.finish();
        return Idx.read(config.resolve(images), config.resolve(labels));
    }

    /** IDX labels are numbers; their distinct values, ordered numerically, are the classes. */
    private static ClassLabels idxClasses(Tensor y) {
        TreeSet<String> names = new TreeSet<>();
        for (float v : y.toFloatArray()) names.add(Integer.toString((int) v));
        return ClassLabels.fit(names);
    }

    /** IDX label values to class indices through the classes (the identity when they are 0..k-1). */
    private static Tensor remapKnown(Tensor y, ClassLabels classes, String what) {
        float[] v = y.toFloatArray(), out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int k = classes.indexOf(Integer.toString((int) v[i]));
            if (k < 0) throw new DataException(what + ": label " + (int) v[i] + " of example " + i + " is not a class of the training data");
            out[i] = k;
        }
        return Tensor.of(out, out.length);
    }
}
