package dev.descent.optim;

import dev.descent.schedule.PlateauSchedule;
import dev.descent.schedule.PlateauState;
import dev.descent.schedule.Schedule;
import dev.descent.tensor.DType;
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
import java.util.TreeSet;

/**
 * The PyTorch-feel facade over a chain of gradient transforms: {@code backward()}, then
 * {@link #step()}, then {@link #zeroGrad()}.
 *
 * <p>One {@link #step()}:
 * <ol>
 *   <li>counts a micro-batch; with {@link Accumulation} only every k-th call goes on (and the
 *       summed gradients are divided by k when averaging);</li>
 *   <li>applies the {@link GradientTransform}s (clipping, non-finite checks, ...) in order to the
 *       gradients of all parameters that have one, and takes the total gradient norm before them
 *       (the clip's when a global-norm clip measures it);</li>
 *   <li>evaluates each group's learning-rate {@link Schedule} at the current step count
 *       (0 at the first update), so a resumed run uses exactly the same rates;</li>
 *   <li>runs the {@link UpdateRule} once per parameter with a gradient: one fused pass over its
 *       arrays, no allocation. Parameters without a gradient are skipped and their own update
 *       count does not advance, as in PyTorch.</li>
 * </ol>
 * and returns a {@link StepReport}. Metric-driven schedules (reduce-on-plateau) are fed through
 * {@link #observe}, and their state is part of {@link #state()}, like every other state of the
 * optimizer. Work is sequential per step, so results never depend on the thread count.
 *
 * <p>Not thread-safe; one optimizer belongs to one training loop.
 */
public final class Optimizer {

    private static final class Slot {
        final String name;
        final Tensor param;
        final int group;
        final List<UpdateRule.Buffer> specs;
        final float[][] state;
        long steps;

        Slot(String name, Tensor param, int group, List<UpdateRule.Buffer> specs) {
            this.name = name;
            this.param = param;
            this.group = group;
            this.specs = specs;
            this.state = new float[specs.size()][];
            for (int i = 0; i < specs.size(); i++) {
                state[i] = new float[specs.get(i).length()];
                Arrays.fill(state[i], specs.get(i).initial());
            }
        }
    }

    private final OptimizerSpec spec;
    private final UpdateRule rule;
    private final List<ParamGroup> groups;
    private final Slot[] slots;
    private final GradientTransform[] transforms;
    private final boolean transformMeasuresNorm;
    /** The groups' distinct schedules, which {@link #observe} feeds. */
    private final List<Schedule> schedules;
    /** Their metric-driven rules, whose state {@link #state()} carries. */
    private final List<PlateauSchedule> plateaus;
    private final Map<String, Tensor> params;
    private final double[] groupLr;
    // reusable view of this step's gradients (slot index and array), so that a step allocates nothing
    private final int[] gSlots;
    private final float[][] gArrays;
    private int gCount;
    private final Gradients view = new Gradients() {
        @Override public int size() { return gCount; }
        @Override public String name(int i) { return slots[gSlots[i]].name; }
        @Override public float[] grad(int i) { return gArrays[i]; }
    };

    private final boolean maximize;
    private final int accumulateEvery;
    private final boolean accumulateMean;
    private long step;
    private int microStep;

    Optimizer(OptimizerSpec spec, Map<String, Tensor> params) {
        if (params == null) throw new IllegalArgumentException("params is null");
        if (params.isEmpty()) throw new IllegalArgumentException(spec.rule().name() + ": got an empty parameter list");
        this.spec = spec;
        this.rule = spec.rule();
        this.maximize = spec.maximize();
        this.accumulateEvery = spec.accumulation().every();
        this.accumulateMean = spec.accumulation().mean();
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        List<GroupSpec> rules = spec.groups();
        List<List<String>> members = new ArrayList<>();
        for (int g = 0; g <= rules.size(); g++) members.add(new ArrayList<>());
        this.slots = new Slot[params.size()];
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int k = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            String name = e.getKey();
            Tensor p = e.getValue();
            if (name == null || name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("Invalid parameter name '" + name + "' (non-empty, no '/')");
            }
            if (p == null) throw new IllegalArgumentException("parameter '" + name + "' is null");
            if (p.dtype() != DType.F32) throw new IllegalArgumentException("parameter '" + name + "' is " + p.dtype() + "; optimizers update float32 parameters");
            try {
                p.data();
            } catch (IllegalStateException ex) {
                throw new IllegalArgumentException("parameter '" + name + "' is a view; an optimizer needs a contiguous leaf tensor", ex);
            }
            if (!seen.add(p)) throw new IllegalArgumentException("parameter '" + name + "' appears twice (same tensor under another name)");
            int group = 0;
            for (int r = 0; r < rules.size(); r++) {
                if (rules.get(r).selector().matches(name, p)) {
                    group = r + 1;
                    break;
                }
            }
            members.get(group).add(name);
            slots[k++] = new Slot(name, p, group, rule.buffers(p.numel()));
        }
        List<ParamGroup> gs = new ArrayList<>();
        gs.add(new ParamGroup("default", members.get(0), spec.lr(), spec.weightDecay()));
        for (int r = 0; r < rules.size(); r++) {
            GroupSpec g = rules.get(r);
            gs.add(new ParamGroup(g.label(), members.get(r + 1), g.lr() != null ? g.lr() : spec.lr(),
                    g.weightDecay() != null ? g.weightDecay() : spec.weightDecay()));
        }
        this.groups = List.copyOf(gs);
        this.groupLr = new double[groups.size()];
        this.transforms = spec.transforms().toArray(new GradientTransform[0]);
        this.transformMeasuresNorm = spec.transforms().stream().anyMatch(GradientTransform::measuresNorm);
        // Each group's schedule once (groups without their own share the default's object), and
        // each metric-driven rule once, in group order: the order of OptimizerState.schedules().
        Set<Schedule> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<PlateauSchedule> seenRules = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Schedule> fed = new ArrayList<>();
        List<PlateauSchedule> plateauList = new ArrayList<>();
        for (ParamGroup g : groups) {
            if (!distinct.add(g.lr())) continue;
            fed.add(g.lr());
            for (PlateauSchedule p : g.lr().plateaus()) if (seenRules.add(p)) plateauList.add(p);
        }
        this.schedules = List.copyOf(fed);
        this.plateaus = List.copyOf(plateauList);
        this.gSlots = new int[slots.length];
        this.gArrays = new float[slots.length][];
    }

    /**
     * Counts a micro-batch and, when it completes an accumulation (always, without accumulation),
     * applies one update to every parameter with a gradient.
     *
     * @return what the step did: whether it applied an update, its rate, the gradient norm
     */
    public StepReport step() {
        if (microStep + 1 < accumulateEvery) {
            microStep++;
            return new StepReport(false, lrAt(0, step), Double.NaN);
        }
        for (int g = 0; g < groupLr.length; g++) groupLr[g] = lrAt(g, step); // may throw: before any change
        microStep = 0;
        gCount = 0;
        for (int k = 0; k < slots.length; k++) {
            Tensor g = slots[k].param.grad();
            if (g == null) continue;
            gSlots[gCount] = k;
            gArrays[gCount] = gradData(slots[k].name, g);
            gCount++;
        }
        if (accumulateEvery > 1 && accumulateMean) {
            float fk = accumulateEvery;
            for (int j = 0; j < gCount; j++) {
                float[] a = gArrays[j];
                for (int i = 0; i < a.length; i++) a[i] = a[i] / fk;
            }
        }
        // The norm before any transform: the first measuring transform's, else the L2 norm measured here.
        double norm = transformMeasuresNorm ? Double.NaN : GradClip.totalNorm(view, 2.0);
        for (GradientTransform t : transforms) {
            double measured = t.applyMeasuring(view);
            if (Double.isNaN(norm) && t.measuresNorm()) norm = measured;
        }
        for (int j = 0; j < gCount; j++) {
            Slot s = slots[gSlots[j]];
            s.steps++;
            rule.update(s.param.data(), gArrays[j], s.state, s.steps, groupLr[s.group], groups.get(s.group).weightDecay(), maximize);
        }
        step++;
        return new StepReport(true, groupLr[0], norm);
    }

    /**
     * Feeds a monitored metric (a validation loss, say), measured after the updates applied so
     * far, to every group's schedule: the one path by which metric-driven rules such as
     * reduce-on-plateau learn it, wherever they sit (behind a warmup, in a parameter group). Pure
     * schedules ignore it.
     */
    public void observe(double metric) {
        for (Schedule s : schedules) s.observe(step, metric);
    }

    /** Whether some group's schedule is driven by a metric (then feed it with {@link #observe}). */
    public boolean observesMetric() {
        return !plateaus.isEmpty();
    }

    /**
     * Clears every parameter's gradient (sets it to null, PyTorch's {@code set_to_none=True}),
     * except in the middle of an accumulation, where the gradients must keep adding up (see
     * {@link Accumulation}).
     */
    public void zeroGrad() {
        if (microStep != 0) return;
        for (Slot s : slots) s.param.zeroGrad();
    }

    /** Number of updates applied so far (micro-batches of an accumulation count once). */
    public long stepCount() {
        return step;
    }

    /** Whether some micro-batches of an accumulation have been counted but not yet applied. */
    public boolean isAccumulating() {
        return microStep != 0;
    }

    /** The learning rate the next update will use in the default group (group 0). */
    public double currentLr() {
        return currentLr(0);
    }

    /** The learning rate the next update will use in the given group. */
    public double currentLr(int group) {
        if (group < 0 || group >= groups.size()) {
            throw new IndexOutOfBoundsException("group " + group + " of " + groups.size() + " (" + labels() + ")");
        }
        return lrAt(group, step);
    }

    private double lrAt(int group, long at) {
        double lr = groups.get(group).lr().lr(at);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalStateException("Invalid lr: group '" + groups.get(group).label() + "' schedule gave " + lr
                    + " at step " + at + " (must be finite and >= 0)");
        }
        return lr;
    }

    /** The parameter groups; group 0 is the default group. */
    public List<ParamGroup> groups() {
        return groups;
    }

    /** The parameters by name, in binding order. */
    public Map<String, Tensor> parameters() {
        return params;
    }

    public UpdateRule rule() {
        return rule;
    }

    /** The spec this optimizer was bound from. */
    public OptimizerSpec spec() {
        return spec;
    }

    /**
     * A copy of the step count and all state buffers. Take it between updates: in the middle of
     * an accumulation the partial gradients live in the parameters, not in the optimizer.
     */
    public OptimizerState state() {
        if (microStep != 0) {
            throw new IllegalStateException("state(): called after " + microStep + " of " + spec.accumulation().every()
                    + " accumulated micro-batches; save at an update boundary");
        }
        Map<String, Long> paramSteps = new LinkedHashMap<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (Slot s : slots) {
            paramSteps.put(s.name, s.steps);
            for (int i = 0; i < s.specs.size(); i++) buffers.put(s.name + "/" + s.specs.get(i).name(), s.state[i]);
        }
        List<PlateauState> ruleStates = new ArrayList<>();
        for (PlateauSchedule p : plateaus) ruleStates.add(p.state());
        return new OptimizerState(step, paramSteps, buffers, ruleStates);
    }

    /**
     * Restores a state saved by {@link #state()} of an optimizer with the same rule and parameter
     * names. Checks everything before changing anything; a missing, extra or wrongly sized entry is
     * reported by its key.
     */
    public void loadState(OptimizerState state) {
        Map<String, float[]> buffers = state.buffersView();
        Set<String> expected = new HashSet<>();
        for (Slot s : slots) {
            if (!state.paramSteps().containsKey(s.name)) {
                throw new IllegalArgumentException("loadState: no step count for parameter '" + s.name + "'");
            }
            long ps = state.paramSteps().get(s.name);
            if (ps < 0 || ps > state.step()) {
                throw new IllegalArgumentException("loadState: parameter '" + s.name + "' has step " + ps + " outside [0, " + state.step() + "]");
            }
            for (int i = 0; i < s.specs.size(); i++) {
                String key = s.name + "/" + s.specs.get(i).name();
                expected.add(key);
                float[] b = buffers.get(key);
                if (b == null) throw new IllegalArgumentException("loadState: missing buffer '" + key + "' (is this state from another " + rule.name() + " configuration?)");
                if (b.length != s.state[i].length) {
                    throw new IllegalArgumentException("loadState: buffer '" + key + "' has " + b.length + " values, expected " + s.state[i].length);
                }
            }
        }
        Set<String> extra = new TreeSet<>(buffers.keySet());
        extra.removeAll(expected);
        if (!extra.isEmpty()) throw new IllegalArgumentException("loadState: unexpected buffers " + extra + " for " + rule.name());
        Set<String> extraParams = new TreeSet<>(state.paramSteps().keySet());
        extraParams.removeAll(params.keySet());
        if (!extraParams.isEmpty()) throw new IllegalArgumentException("loadState: unknown parameters " + extraParams);
        if (state.schedules().size() != plateaus.size()) {
            throw new IllegalArgumentException("loadState: the state has " + state.schedules().size() + " reduce-on-plateau rule(s), the optimizer's schedules have "
                    + plateaus.size());
        }
        for (int i = 0; i < plateaus.size(); i++) plateaus.get(i).check(state.schedules().get(i));
        for (Slot s : slots) {
            s.steps = state.paramSteps().get(s.name);
            for (int i = 0; i < s.specs.size(); i++) {
                float[] b = buffers.get(s.name + "/" + s.specs.get(i).name());
                System.arraycopy(b, 0, s.state[i], 0, b.length);
            }
        }
        for (int i = 0; i < plateaus.size(); i++) plateaus.get(i).restore(state.schedules().get(i));
        step = state.step();
        microStep = 0;
    }

    private String labels() {
        List<String> l = new ArrayList<>();
        for (ParamGroup g : groups) l.add(g.label());
        return String.join(", ", l);
    }

    static float[] gradData(String name, Tensor grad) {
        if (grad.dtype() != DType.F32) throw new IllegalStateException("gradient of '" + name + "' is " + grad.dtype() + ", not float32");
        try {
            return grad.data();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("gradient of '" + name + "' is a view; set a contiguous gradient", e);
        }
    }

    @Override
    public String toString() {
        return rule + " over " + slots.length + " parameters in groups [" + labels() + "], step " + step;
    }
}
