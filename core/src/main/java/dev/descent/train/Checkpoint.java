package dev.descent.train;

import dev.descent.io.Safetensors;
import dev.descent.io.SafetensorsFile;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerState;
import dev.descent.schedule.PlateauSchedule;
import dev.descent.schedule.PlateauState;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a training run needs to continue exactly where it stopped: the model's state dict
 * (parameters and buffers, PyTorch names), the optimizer's state (step count, per-parameter step
 * counts, buffers), the reduce-on-plateau state if a plateau rule is in use, the state of every
 * random generator, and the loop's position (epoch, step). The learning-rate schedule needs no
 * state of its own: it is a pure function of the optimizer's step count (and the plateau state).
 *
 * <p>On disk a checkpoint is one safetensors file, so PyTorch users can open it: tensors named
 * {@code model/<name>} and {@code optim/<param>/<buffer>}, scalars as string metadata
 * (doubles written by {@link Double#toString}, which reads back exactly). Files are written to a
 * temporary name and moved into place, so a crash never leaves a half-written checkpoint.
 *
 * @param model      state dict of the model
 * @param optimizer  optimizer state
 * @param plateau    plateau state, or null when the schedule has no plateau rule
 * @param generators generator states by name (e.g. "dropout")
 * @param epoch      epochs completed
 * @param step       optimizer steps completed
 * @param counts     the model's count buffers ({@link Module#countBuffers()}), saved as I64 as
 *                   PyTorch saves them
 */
public record Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, PlateauState plateau,
                         Map<String, Long> generators, long epoch, long step, Set<String> counts) {
    private static final String FORMAT = "descent.checkpoint";

    public Checkpoint {
        model = copyTensors(model);
        generators = Map.copyOf(generators);
        counts = Set.copyOf(counts);
    }

    /** A checkpoint whose model has no count buffers. */
    public Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, PlateauState plateau, Map<String, Long> generators, long epoch, long step) {
        this(model, optimizer, plateau, generators, epoch, step, Set.of());
    }

    private static Map<String, Tensor> copyTensors(Map<String, Tensor> m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** Captures the current state (copies: later training does not change the checkpoint). */
    public static Checkpoint capture(Module model, Optimizer optimizer, PlateauSchedule plateau,
                                     Map<String, Generator> generators, long epoch, long step) {
        Map<String, Long> states = new TreeMap<>();
        generators.forEach((name, g) -> states.put(name, g.state()));
        return new Checkpoint(model.stateDict(), optimizer.state(), plateau == null ? null : plateau.state(), states, epoch, step,
                model.countBuffers());
    }

    /** Puts this state back into live objects built the same way as the ones it was captured from. */
    public void restore(Module target, Optimizer optimizer, PlateauSchedule plateauSchedule, Map<String, Generator> gens) {
        target.loadStateDict(model, true);
        optimizer.loadState(this.optimizer);
        if ((plateau == null) != (plateauSchedule == null)) {
            throw new IllegalArgumentException("checkpoint " + (plateau == null ? "has no" : "has a") + " reduce-on-plateau state, but the run "
                    + (plateauSchedule == null ? "has no" : "has a") + " plateau rule");
        }
        if (plateauSchedule != null) plateauSchedule.restore(plateau);
        for (var e : gens.entrySet()) {
            Long s = generators.get(e.getKey());
            if (s == null) throw new IllegalArgumentException("checkpoint has no state for generator '" + e.getKey() + "' (it has " + generators.keySet() + ")");
            e.getValue().setState(s);
        }
    }

    /** Writes the checkpoint atomically. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model/" + k, v));
        optimizer.buffers().forEach((k, v) -> tensors.put("optim/" + k, Tensor.of(v, v.length)));
        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Long.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("optim.step", Long.toString(optimizer.step()));
        optimizer.paramSteps().forEach((k, v) -> meta.put("optim.param_step." + k, Long.toString(v)));
        generators.forEach((k, v) -> meta.put("generator." + k, Long.toString(v)));
        if (plateau != null) {
            meta.put("plateau.reports", Long.toString(plateau.reports()));
            meta.put("plateau.best", Double.toString(plateau.best()));
            meta.put("plateau.bad_reports", Integer.toString(plateau.badReports()));
            meta.put("plateau.cooldown_left", Integer.toString(plateau.cooldownLeft()));
            meta.put("plateau.scale", Double.toString(plateau.scale()));
        }
        Set<String> int64 = new TreeSet<>();
        counts.forEach(k -> int64.add("model/" + k));
        Safetensors.write(file, tensors, meta, int64);
    }

    /** Reads a checkpoint written by {@link #save}. */
    public static Checkpoint load(Path file) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + ": not a Descent training checkpoint (no format=" + FORMAT + " metadata)");
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Set<String> counts = new TreeSet<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (var e : f.tensors().entrySet()) {
            if (e.getKey().startsWith("model/")) model.put(e.getKey().substring(6), e.getValue());
            if (e.getKey().startsWith("model/") && f.int64().contains(e.getKey())) counts.add(e.getKey().substring(6));
            else if (e.getKey().startsWith("optim/")) buffers.put(e.getKey().substring(6), e.getValue().toFloatArray());
        }
        Map<String, Long> paramSteps = new LinkedHashMap<>(), generators = new TreeMap<>();
        for (var e : meta.entrySet()) {
            if (e.getKey().startsWith("optim.param_step.")) paramSteps.put(e.getKey().substring(17), parseLong(file, e));
            if (e.getKey().startsWith("generator.")) generators.put(e.getKey().substring(10), parseLong(file, e));
        }
        PlateauState plateau = null;
        if (meta.containsKey("plateau.scale")) {
            plateau = new PlateauState(Long.parseLong(meta.get("plateau.reports")), Double.parseDouble(meta.get("plateau.best")),
                    Integer.parseInt(meta.get("plateau.bad_reports")), Integer.parseInt(meta.get("plateau.cooldown_left")),
                    Double.parseDouble(meta.get("plateau.scale")));
        }
        OptimizerState optimizer = new OptimizerState(Long.parseLong(meta.get("optim.step")), paramSteps, buffers);
        return new Checkpoint(model, optimizer, plateau, generators, Long.parseLong(meta.get("epoch")), Long.parseLong(meta.get("step")), counts);
    }

    private static long parseLong(Path file, Map.Entry<String, String> e) throws IOException {
        try {
            return Long.parseLong(e.getValue());
        } catch (NumberFormatException x) {
            throw new IOException(file + ": metadata " + e.getKey() + " is not a whole number: '" + e.getValue() + "'");
        }
    }
}
