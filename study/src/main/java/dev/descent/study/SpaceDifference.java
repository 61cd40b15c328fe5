package dev.descent.study;

import dev.descent.search.Condition;
import dev.descent.search.Dimension;
import dev.descent.search.Parameter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The first parameter defined differently in the space a study was created with and the space it
 * is opened with, each side described the way a configuration reads
 * ({@code lr: log_uniform [1e-4, 0.1]}). Differences that do not change what a trial may be are
 * not differences: the order of the parameters, of a categorical's choices and of a condition's
 * values. Parameters are visited in the new space's order, then those only the old one has.
 *
 * @param created the parameter as the study was created with it, or "no parameter NAME"
 * @param now     the parameter as it is now, or "no parameter NAME"
 */
record SpaceDifference(String created, String now) {
    /** Both lists as {@link SearchSpaceJson#read} gives them, so their values have the same types. */
    static Optional<SpaceDifference> between(List<Parameter> created, List<Parameter> now) {
        Map<String, Parameter> before = new LinkedHashMap<>();
        for (Parameter p : created) before.put(p.name(), p);
        for (Parameter p : now) {
            Parameter old = before.remove(p.name());
            if (old == null) return Optional.of(new SpaceDifference(absent(p), describe(p)));
            if (!same(old, p)) return Optional.of(new SpaceDifference(describe(old), describe(p)));
        }
        return before.values().stream().findFirst().map(old -> new SpaceDifference(describe(old), absent(old)));
    }

    private static String absent(Parameter p) {
        return "no parameter " + p.name();
    }

    private static boolean same(Parameter a, Parameter b) {
        boolean sameDimension = a.dimension() instanceof Dimension.Categorical ca && b.dimension() instanceof Dimension.Categorical cb
                ? new HashSet<>(ca.choices()).equals(new HashSet<>(cb.choices()))
                : a.dimension().equals(b.dimension());
        return sameDimension && sameCondition(a.condition(), b.condition());
    }

    private static boolean sameCondition(Condition a, Condition b) {
        if (a == null || b == null) return a == b;
        return a.parent().equals(b.parent()) && new HashSet<>(a.values()).equals(new HashSet<>(b.values()));
    }

    /** "lr: log_uniform [1e-4, 0.1]", "bs: int [16, 128] step 16", "mom: uniform [0, 0.99] when opt in [sgd]". */
    static String describe(Parameter p) {
        String domain = switch (p.dimension()) {
            case Dimension.Uniform u -> "uniform [" + number(u.low()) + ", " + number(u.high()) + "]";
            case Dimension.LogUniform l -> "log_uniform [" + number(l.low()) + ", " + number(l.high()) + "]";
            case Dimension.IntRange r -> "int [" + r.low() + ", " + r.high() + "]" + (r.step() != 1 ? " step " + r.step() : "") + (r.log() ? " log" : "");
            case Dimension.Categorical c -> "choices " + list(c.choices());
        };
        Condition when = p.condition();
        return p.name() + ": " + domain + (when == null ? "" : " when " + when.parent() + " in " + list(when.values()));
    }

    private static String list(List<Object> values) {
        return values.stream().map(v -> v instanceof Double d ? number(d) : String.valueOf(v)).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The shortest text that reads back as the same double, in the style of a config: 1e-4, 0.99, 3. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        return Double.toString(v).replace(".0E", "E").replace("E", "e");
    }
}
