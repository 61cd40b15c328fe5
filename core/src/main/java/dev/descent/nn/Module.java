package dev.descent.nn;

import dev.descent.tensor.DType;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A building block of a model: a function {@link #forward(Tensor)} of its input and of the
 * tensors it owns, which are of two kinds:
 *
 * <ul>
 *   <li><b>parameters</b>: float32 leaf tensors that require gradients and that optimizers update
 *       (a linear layer's {@code weight} and {@code bias});
 *   <li><b>buffers</b>: state that is saved with the model but not trained (batch norm's
 *       {@code running_mean}, {@code running_var}, {@code num_batches_tracked}).
 * </ul>
 *
 * A module may also own child modules, and then its tensors are named as in PyTorch's
 * {@code state_dict}: the child's registration name, a dot, and the tensor's name inside the child.
 * {@link Sequential} names its children by index, so
 * {@code Sequential.of(Linear.of(4, 8, rng), BatchNorm1d.of(8))} has the keys {@code 0.weight},
 * {@code 0.bias}, {@code 1.weight}, {@code 1.bias}, {@code 1.running_mean}, {@code 1.running_var},
 * {@code 1.num_batches_tracked}: for every module in registration order, its own parameters, then
 * its own buffers, then its children recursively. Checkpoints written by PyTorch therefore load by
 * name, and the other way round.
 *
 * <h2>Modes</h2>
 * A module is created in training mode. {@link #eval()} switches it and all its descendants to
 * evaluation mode, {@link #train()} back; dropout and batch norm behave differently in the two.
 * The mode is part of the module, never global state.
 *
 * <h2>Writing a module</h2>
 * Subclass, register what you own in the constructor, and read it back by name in
 * {@link #forward(Tensor)} (so that {@link #setParameter} and {@link #loadStateDict} take effect):
 *
 * <pre>{@code
 * final class Scale extends Module {
 *     Scale(int n) { registerParameter("gain", Tensor.ones(n)); }
 *     public Tensor forward(Tensor x) { return x.mul(parameter("gain")); }
 * }
 * }</pre>
 *
 * Module is an abstract class rather than an interface because every module shares the same
 * bookkeeping (the ordered registries behind the state dict names, and the mode); users still add
 * their own modules by subclassing.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Set<String> countBuffers = new HashSet<>();
    private boolean training = true;

    /** Computes this module's output for the given input, recording the graph when gradients are on. */
    public abstract Tensor forward(Tensor input);

    /**
     * Whether {@link #forward} may keep a reference to its input, its output or anything computed
     * from them beyond the training step that called it (in a field, a cache, a list for later
     * inspection, state carried to the next batch). The Trainer captures and replays the steps
     * of a model whose modules keep none ({@link dev.descent.tensor.CapturedStep}): a replayed
     * step reuses the previous step's storage, which a kept tensor would see change. The safe
     * default is {@code true} (such a model trains with plain eager steps); Descent's built-in
     * layers, which keep nothing, say {@code false}, and a user module that keeps nothing may too.
     */
    public boolean keepsActivations() {
        return true;
    }

    // ----------------------------------------------------------------------------------- registration

    /**
     * Registers a parameter under {@code name} (no dots) and returns the tensor the module holds: a
     * float32 contiguous leaf that requires gradients (a float32 copy when {@code value} is not one).
     */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkNewName(name);
        Tensor p = asParameter(name, value, true);
        parameters.put(name, p);
        return p;
    }

    /** Registers a buffer (saved in the state dict, not trained) and returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkNewName(name);
        Tensor b = value.detach().copy();
        buffers.put(name, b);
        return b;
    }

    /**
     * Registers a buffer that holds a count (a float32 0-d tensor starting at 0, exact up to 2^24),
     * which a state dict file stores as a 64-bit integer, as PyTorch stores its
     * {@code torch.long} buffers (see {@link #countBuffers()}).
     */
    protected final Tensor registerCountBuffer(String name) {
        Tensor b = registerBuffer(name, Tensor.zeros());
        countBuffers.add(name);
        return b;
    }

    /**
     * Fills a buffer that a loaded state dict lacks, as PyTorch's {@code _load_from_state_dict}
     * does for state dicts older than the buffer: return the value to load for this module's own
     * buffer {@code name}, or null (the default) to report the key as missing.
     */
    protected Tensor missingBuffer(String name) {
        return null;
    }

    /** Registers a child module under {@code name} (no dots) and returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkNewName(name);
        if (child == null) throw new IllegalArgumentException("registerModule: child '" + name + "' is null");
        if (child == this) throw new IllegalArgumentException("registerModule: a module cannot be its own child");
        children.put(name, child);
        return child;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("name '" + name + "' must be non-empty and contain no dot");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has something named '" + name + "'");
        }
    }

    private static Tensor asParameter(String name, Tensor value, boolean copyIfNeeded) {
        if (value == null) throw new IllegalArgumentException("parameter '" + name + "' is null");
        if (!copyIfNeeded) {
            if (value.dtype() != DType.F32) {
                throw new IllegalArgumentException("parameter '" + name + "' must be float32, got " + value.dtype()
                        + "; convert it with toF32()");
            }
            if (!value.isLeaf()) {
                throw new IllegalArgumentException("parameter '" + name + "' must be a leaf tensor, got the result of "
                        + value.gradFnName() + "; pass detach().copy()");
            }
            try {
                value.data();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("parameter '" + name + "' must own its storage (not a view); pass copy()", e);
            }
            return value.setRequiresGrad(true);
        }
        return value.detach().toF32().setRequiresGrad(true);
    }

    /** This module's own parameter {@code name} (not a child's). */
    protected final Tensor parameter(String name) {
        Tensor p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'; it has " + parameters.keySet());
        }
        return p;
    }

    /** This module's own buffer {@code name} (not a child's). */
    protected final Tensor buffer(String name) {
        Tensor b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'; it has " + buffers.keySet());
        }
        return b;
    }

    /** Whether this module itself (not a child) has a parameter called {@code name}. */
    protected final boolean hasParameter(String name) {
        return parameters.containsKey(name);
    }

    // ----------------------------------------------------------------------------------- traversal

    /** The direct children in registration order, by name. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Every module in the tree, this one first (under the name ""), then depth-first in registration order. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out) {
        out.put(prefix, m);
        for (var e : m.children.entrySet()) collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
    }

    /**
     * All parameters of the tree by dotted name, in state dict order. The tensors are the live
     * parameters. A tensor shared by several modules (tied weights, see {@link #setParameter})
     * appears once, under its first name, as in PyTorch's {@code named_parameters()}, so an
     * optimizer updates it once per step; {@link #stateDict()} still lists every name.
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (var m : namedModules().entrySet()) {
            for (var p : m.getValue().parameters.entrySet()) {
                if (seen.add(p.getValue())) out.put(qualify(m.getKey(), p.getKey()), p.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The live parameters of the tree, in the order of {@link #namedParameters()}: what an optimizer updates. */
    public final List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** All buffers of the tree by dotted name, in state dict order. The tensors are the live buffers. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var b : m.getValue().buffers.entrySet()) out.put(qualify(m.getKey(), b.getKey()), b.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The dotted names of the buffers that hold counts (BatchNorm's {@code num_batches_tracked}):
     * a state dict file stores them as I64, as PyTorch does, so that PyTorch loads them with its
     * own dtype ({@code Safetensors.write} with these names).
     */
    public final Set<String> countBuffers() {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (var m : namedModules().entrySet()) {
            for (String b : m.getValue().buffers.keySet()) if (m.getValue().countBuffers.contains(b)) out.add(qualify(m.getKey(), b));
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Parameters and buffers by dotted name, ordered as PyTorch's {@code state_dict()}: for each
     * module (this one first, then children depth-first), its parameters, then its buffers. The
     * values are detached views of the live storage, as in PyTorch: they change when training
     * does, so {@code copy()} them to keep a snapshot.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var p : m.getValue().parameters.entrySet()) out.put(qualify(m.getKey(), p.getKey()), p.getValue().detach());
            for (var b : m.getValue().buffers.entrySet()) out.put(qualify(m.getKey(), b.getKey()), b.getValue().detach());
        }
        return Collections.unmodifiableMap(out);
    }

    private static String qualify(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ----------------------------------------------------------------------------------- loading

    /** The keys a non-strict {@link #loadStateDict} did not match, in the order met. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers, matched by
     * dotted name, as PyTorch's {@code load_state_dict}. The tensors keep their identity (an
     * optimizer that holds them sees the new values); values of any dtype are converted to the
     * destination's.
     *
     * <p>A buffer the state dict lacks is filled when its module says how ({@link #missingBuffer}:
     * BatchNorm's {@code num_batches_tracked} becomes 0, as in PyTorch) and is then not missing.
     * Everything is checked before anything is written, so a failed load changes nothing. A
     * shape mismatch is always an error naming the key and both shapes. With {@code strict}, keys
     * of the module missing from {@code state} and keys of {@code state} the module lacks are
     * errors too (all of them listed in one message); without it they are returned.
     *
     * @throws IllegalArgumentException on a shape mismatch, or on missing/unexpected keys when strict
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        Map<String, Tensor> filled = new LinkedHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var p : m.getValue().parameters.entrySet()) own.put(qualify(m.getKey(), p.getKey()), p.getValue());
            for (var b : m.getValue().buffers.entrySet()) {
                String key = qualify(m.getKey(), b.getKey());
                own.put(key, b.getValue());
                Tensor fill = state.containsKey(key) ? null : m.getValue().missingBuffer(b.getKey());
                if (fill != null) filled.put(key, fill);
            }
        }
        if (!filled.isEmpty()) {
            Map<String, Tensor> withFills = new LinkedHashMap<>(state);
            withFills.putAll(filled);
            state = withFills;
        }
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(given.shape(), e.getValue().shape())) {
                mismatched.add("size mismatch for " + e.getKey() + ": copying a tensor of shape " + Arrays.toString(given.shape())
                        + ", the shape in the current model is " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        List<String> problems = new ArrayList<>(mismatched);
        if (strict && !missing.isEmpty()) problems.add("missing key(s) in state dict: " + String.join(", ", missing));
        if (strict && !unexpected.isEmpty()) problems.add("unexpected key(s) in state dict: " + String.join(", ", unexpected));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("error(s) loading state dict for " + getClass().getSimpleName() + ":\n  "
                    + String.join("\n  ", problems));
        }
        try (var scope = GradMode.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor given = state.get(e.getKey());
                if (given != null) copyInto(e.getValue(), given);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    private static void copyInto(Tensor dest, Tensor src) {
        if (dest.dtype() == DType.F32) System.arraycopy(src.toFloatArray(), 0, dest.data(), 0, dest.numel());
        else System.arraycopy(src.toDoubleArray(), 0, dest.data64(), 0, dest.numel());
    }

    /**
     * Replaces the parameter at a dotted name ({@code "0.weight"}) by {@code value} itself, which
     * must be a float32 leaf tensor owning its storage and of the same shape as the current one.
     * It is marked as requiring gradients. Passing another module's parameter ties the two (both
     * modules then train one tensor). To copy values into the existing tensor instead, use
     * {@link #loadStateDict}.
     */
    public final void setParameter(String name, Tensor value) {
        int dot = name.lastIndexOf('.');
        Module owner = dot < 0 ? this : submodule(name.substring(0, dot));
        String local = name.substring(dot + 1);
        if (!owner.parameters.containsKey(local)) {
            throw new IllegalArgumentException("setParameter: no parameter '" + name + "'; the parameters are " + namedParameters().keySet());
        }
        Tensor current = owner.parameters.get(local);
        if (!Arrays.equals(current.shape(), value.shape())) {
            throw new IllegalArgumentException("setParameter: '" + name + "' has shape " + Arrays.toString(current.shape())
                    + ", the new value " + Arrays.toString(value.shape()));
        }
        owner.parameters.put(local, asParameter(name, value, false));
    }

    /** The descendant at a dotted path ("0", "encoder.1"). */
    public final Module submodule(String path) {
        Module m = this;
        for (String part : path.split("\\.")) {
            Module next = m.children.get(part);
            if (next == null) {
                throw new IllegalArgumentException("no submodule '" + path + "' (" + m.getClass().getSimpleName() + " has children "
                        + m.children.keySet() + ")");
            }
            m = next;
        }
        return m;
    }

    // ----------------------------------------------------------------------------------- modes

    /** Puts this module and all its descendants in training mode; returns this. */
    public Module train() {
        return train(true);
    }

    /** Puts this module and all its descendants in evaluation mode; returns this. */
    public Module eval() {
        return train(false);
    }

    /** Sets training ({@code true}) or evaluation mode on the whole tree; returns this. */
    public Module train(boolean mode) {
        setTraining(this, mode);
        return this;
    }

    /**
     * The tree's modules as {@link #namedModules} visits them, without building its map: the
     * Trainer sets the mode before every step, and for a small model building the map of names
     * cost more than a step's arithmetic.
     */
    private static void setTraining(Module m, boolean mode) {
        m.training = mode;
        for (Module c : m.children.values()) setTraining(c, mode);
    }

    /** True in training mode (the initial mode), false in evaluation mode. */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Gives {@code generator} to every module of the tree that draws random numbers (dropout).
     * They all share it, so one generator's state (see {@link Generator#state()}) captures the
     * randomness of a whole run. Returns this.
     */
    public final Module setGenerator(Generator generator) {
        for (Module m : namedModules().values()) m.useGenerator(generator);
        return this;
    }

    /** Hook for {@link #setGenerator}: modules that draw random numbers keep the generator. */
    protected void useGenerator(Generator generator) {}

    /** Clears the accumulated gradient of every parameter. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    // ----------------------------------------------------------------------------------- display

    /** The options shown between the parentheses of {@link #toString()}, as PyTorch's extra_repr. */
    protected String extraRepr() {
        return "";
    }

    /** A PyTorch-like description of the module tree. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (var e : children.entrySet()) {
                sb.append("  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  ")).append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
