package dev.descent.train;

import dev.descent.io.Safetensors;
import dev.descent.io.SafetensorsFile;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerState;
import dev.descent.schedule.PlateauState;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a training run needs to continue exactly where it stopped: the model's state dict
 * (parameters and buffers, PyTorch names), the optimizer's state (step count, per-parameter step
 * counts, buffers, and the state of every metric-driven schedule rule such as reduce-on-plateau),
 * the state of every random generator, the state of every stateful callback (early stopping's
 * best value and patience count, the checkpoint writer's best value, ...), the latest validation
 * metrics, and the loop's position (epoch, step), with, for a checkpoint taken inside an epoch
 * (a callback calling {@link TrainingControl#checkpoint()} after a step), the running sum and count
 * of that epoch's step losses, so that the resumed epoch reports the mean an uninterrupted one
 * does; the epoch's data order is a function of (seed, epoch) and the step gives the position in
 * it. Pure schedules need no state: they are functions of the optimizer's step count.
 *
 * <p>On disk a checkpoint is one safetensors file, so PyTorch users can open it: tensors named
 * {@code model/<name>}, {@code optim/<param>/<buffer>} and {@code callback/<key>/<name>}, scalars
 * as string metadata (doubles written by {@link Double#toString}, which reads back exactly). The
 * same state gives the same bytes. Files are written to a temporary name and moved into place, so
 * a crash never leaves a half-written checkpoint.
 *
 * @param model          state dict of the model
 * @param optimizer      optimizer state
 * @param generators     generator states by name (e.g. "dropout")
 * @param callbacks      the non-empty states of stateful callbacks, by {@link Callback#stateKey()}
 * @param lastValidation the latest validation metrics ("val_loss", ...; empty before the first)
 * @param epoch          epochs completed
 * @param step           optimizer steps completed
 * @param counts         the model's count buffers ({@link Module#countBuffers()}), saved as I64 as
 *                       PyTorch saves them
 * @param epochLossSum   the sum of the finite step losses of the epoch in progress (0 at an epoch's end)
 * @param epochLossCount how many step losses that sum holds (0 at an epoch's end)
 */
public record Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, Map<String, Long> generators,
                         Map<String, CallbackState> callbacks, Map<String, Double> lastValidation, long epoch, long step, Set<String> counts,
                         double epochLossSum, long epochLossCount) {
    private static final String FORMAT = "descent.checkpoint";

    public Checkpoint {
        model = copyTensors(model);
        generators = Map.copyOf(generators);
        callbacks = java.util.Collections.unmodifiableMap(new TreeMap<>(callbacks));
        lastValidation = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lastValidation));
        counts = Set.copyOf(counts);
    }

    /** A checkpoint taken between epochs. */
    public Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, Map<String, Long> generators,
                      Map<String, CallbackState> callbacks, Map<String, Double> lastValidation, long epoch, long step, Set<String> counts) {
        this(model, optimizer, generators, callbacks, lastValidation, epoch, step, counts, 0, 0);
    }

    /** A checkpoint without callback states or validation metrics. */
    public Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, Map<String, Long> generators, long epoch, long step) {
        this(model, optimizer, generators, Map.of(), Map.of(), epoch, step, Set.of());
    }

    private static Map<String, Tensor> copyTensors(Map<String, Tensor> m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** Captures the current state (copies: later training does not change the checkpoint). */
    public static Checkpoint capture(Module model, Optimizer optimizer, Map<String, Generator> generators, List<Callback> callbacks,
                                     Map<String, Double> lastValidation, long epoch, long step) {
        return capture(model, optimizer, generators, callbacks, lastValidation, epoch, step, 0, 0);
    }

    /** Captures the current state inside an epoch, with the running sum and count of its step losses. */
    public static Checkpoint capture(Module model, Optimizer optimizer, Map<String, Generator> generators, List<Callback> callbacks,
                                     Map<String, Double> lastValidation, long epoch, long step, double epochLossSum, long epochLossCount) {
        Map<String, Long> states = new TreeMap<>();
        generators.forEach((name, g) -> states.put(name, g.state()));
        return new Checkpoint(model.stateDict(), optimizer.state(), states, callbackStates(callbacks), lastValidation, epoch, step,
                model.countBuffers(), epochLossSum, epochLossCount);
    }

    /** Captures model, optimizer and generators (no callbacks, no validation metrics). */
    public static Checkpoint capture(Module model, Optimizer optimizer, Map<String, Generator> generators, long epoch, long step) {
        return capture(model, optimizer, generators, List.of(), Map.of(), epoch, step);
    }

    /** The non-empty states of the callbacks by key; two stateful callbacks with one key are an error. */
    static Map<String, CallbackState> callbackStates(List<Callback> callbacks) {
        Map<String, CallbackState> out = new TreeMap<>();
        for (Callback c : callbacks) {
            CallbackState s = c.state();
            if (s.isEmpty()) continue;
            String key = checkKey(c.stateKey());
            if (out.put(key, s) != null) {
                throw new IllegalArgumentException("two stateful callbacks share the state key '" + key + "'; give one another stateKey()");
            }
        }
        return out;
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.contains("/") || key.contains(".")) {
            throw new IllegalArgumentException("callback state key '" + key + "': non-empty, without '/' or '.'");
        }
        return key;
    }

    /** Puts model, optimizer and generators back into live objects built the same way as the ones they came from. */
    public void restore(Module target, Optimizer optimizer, Map<String, Generator> gens) {
        restore(target, optimizer, gens, List.of());
    }

    /**
     * Puts this state back into live objects built the same way as the ones it was captured from.
     * Everything is checked before anything changes.
     *
     * @throws IllegalArgumentException when something does not fit (named)
     */
    public void restore(Module target, Optimizer optimizer, Map<String, Generator> gens, List<Callback> callbacks) {
        for (var e : gens.entrySet()) {
            if (!generators.containsKey(e.getKey())) {
                throw new IllegalArgumentException("checkpoint has no state for generator '" + e.getKey() + "' (it has " + generators.keySet() + ")");
            }
        }
        Map<String, Callback> byKey = new TreeMap<>();
        for (Callback c : callbacks) {
            if (!c.state().isEmpty() || this.callbacks.containsKey(c.stateKey())) {
                Callback before = byKey.put(checkKey(c.stateKey()), c);
                if (before != null) throw new IllegalArgumentException("two stateful callbacks share the state key '" + c.stateKey() + "'");
                if (!this.callbacks.containsKey(c.stateKey())) {
                    throw new IllegalArgumentException("checkpoint has no state for callback '" + c.stateKey() + "' (it has " + this.callbacks.keySet()
                            + "); was it written by a run without it?");
                }
            }
        }
        for (String key : this.callbacks.keySet()) {
            if (!byKey.containsKey(key)) throw new IllegalArgumentException("checkpoint holds the state of callback '" + key + "', which this run does not have");
        }
        target.loadStateDict(model, true);
        optimizer.loadState(this.optimizer);
        byKey.forEach((key, c) -> c.restore(this.callbacks.get(key)));
        for (var e : gens.entrySet()) e.getValue().setState(generators.get(e.getKey()));
    }

    /** Writes the checkpoint atomically. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model/" + k, v));
        optimizer.buffers().forEach((k, v) -> tensors.put("optim/" + k, Tensor.of(v, v.length)));
        callbacks.forEach((key, s) -> s.tensors().forEach((name, t) -> tensors.put("callback/" + key + "/" + name, t)));
        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Long.toString(epoch));
        meta.put("step", Long.toString(step));
        if (epochLossCount > 0) {
            meta.put("epoch.loss_sum", Double.toString(epochLossSum));
            meta.put("epoch.loss_count", Long.toString(epochLossCount));
        }
        meta.put("optim.step", Long.toString(optimizer.step()));
        optimizer.paramSteps().forEach((k, v) -> meta.put("optim.param_step." + k, Long.toString(v)));
        List<PlateauState> rules = optimizer.schedules();
        for (int i = 0; i < rules.size(); i++) {
            PlateauState p = rules.get(i);
            String at = "optim.schedule." + i + ".";
            meta.put(at + "reports", Long.toString(p.reports()));
            meta.put(at + "best", Double.toString(p.best()));
            meta.put(at + "bad_reports", Integer.toString(p.badReports()));
            meta.put(at + "cooldown_left", Integer.toString(p.cooldownLeft()));
            meta.put(at + "scale", Double.toString(p.scale()));
        }
        generators.forEach((k, v) -> meta.put("generator." + k, Long.toString(v)));
        callbacks.forEach((key, s) -> s.values().forEach((name, v) -> meta.put("callback." + key + "." + name, v)));
        lastValidation.forEach((k, v) -> meta.put("validation." + k, Double.toString(v)));
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
        Map<String, float[]> buffers = new LinkedHashMap<>();
        Map<String, Map<String, Tensor>> callbackTensors = new TreeMap<>();
        Set<String> counts = new TreeSet<>();
        for (var e : f.tensors().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("model/")) {
                model.put(name.substring(6), e.getValue());
                if (f.int64().contains(name)) counts.add(name.substring(6));
            }
            else if (name.startsWith("optim/")) buffers.put(name.substring(6), e.getValue().toFloatArray());
            else if (name.startsWith("callback/") && name.indexOf('/', 9) > 9) {
                int slash = name.indexOf('/', 9);
                callbackTensors.computeIfAbsent(name.substring(9, slash), k -> new LinkedHashMap<>()).put(name.substring(slash + 1), e.getValue());
            }
        }
        Map<String, Long> paramSteps = new LinkedHashMap<>(), generators = new TreeMap<>();
        Map<String, Map<String, String>> callbackValues = new TreeMap<>();
        Map<String, Double> validation = new LinkedHashMap<>();
        for (var e : meta.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("optim.param_step.")) paramSteps.put(key.substring(17), parseLong(file, e));
            if (key.startsWith("generator.")) generators.put(key.substring(10), parseLong(file, e));
            if (key.startsWith("callback.") && key.indexOf('.', 9) > 9) {
                int dot = key.indexOf('.', 9);
                callbackValues.computeIfAbsent(key.substring(9, dot), k -> new TreeMap<>()).put(key.substring(dot + 1), e.getValue());
            }
            if (key.startsWith("validation.")) validation.put(key.substring(11), parseDouble(file, e));
        }
        Map<String, CallbackState> callbacks = new TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(callbackValues.keySet());
        keys.addAll(callbackTensors.keySet());
        for (String k : keys) callbacks.put(k, new CallbackState(callbackValues.getOrDefault(k, Map.of()), callbackTensors.getOrDefault(k, Map.of())));
        List<PlateauState> rules = new ArrayList<>();
        try {
            for (int i = 0; meta.containsKey("optim.schedule." + i + ".scale"); i++) rules.add(plateau(meta, "optim.schedule." + i + "."));
            // Checkpoints written before schedule states moved into the optimizer state.
            if (rules.isEmpty() && meta.containsKey("plateau.scale")) rules.add(plateau(meta, "plateau."));
        } catch (RuntimeException e) {
            throw new IOException(file + ": bad reduce-on-plateau state in the metadata (" + e.getMessage() + ")");
        }
        OptimizerState optimizer = new OptimizerState(Long.parseLong(meta.get("optim.step")), paramSteps, buffers, rules);
        double lossSum = 0;
        long lossCount = 0;
        for (var e : meta.entrySet()) {
            if (e.getKey().equals("epoch.loss_sum")) lossSum = parseDouble(file, e);
            if (e.getKey().equals("epoch.loss_count")) lossCount = parseLong(file, e);
        }
        return new Checkpoint(model, optimizer, generators, callbacks, validation, Long.parseLong(meta.get("epoch")), Long.parseLong(meta.get("step")),
                counts, lossSum, lossCount);
    }

    private static PlateauState plateau(Map<String, String> meta, String at) {
        return new PlateauState(Long.parseLong(meta.get(at + "reports")), Double.parseDouble(meta.get(at + "best")),
                Integer.parseInt(meta.get(at + "bad_reports")), Integer.parseInt(meta.get(at + "cooldown_left")),
                Double.parseDouble(meta.get(at + "scale")));
    }

    private static long parseLong(Path file, Map.Entry<String, String> e) throws IOException {
        try {
            return Long.parseLong(e.getValue());
        } catch (NumberFormatException x) {
            throw new IOException(file + ": metadata " + e.getKey() + " is not a whole number: '" + e.getValue() + "'");
        }
    }

    private static double parseDouble(Path file, Map.Entry<String, String> e) throws IOException {
        try {
            return Double.parseDouble(e.getValue());
        } catch (NumberFormatException x) {
            throw new IOException(file + ": metadata " + e.getKey() + " is not a number: '" + e.getValue() + "'");
        }
    }
}
