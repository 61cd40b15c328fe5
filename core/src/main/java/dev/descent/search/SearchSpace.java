package dev.descent.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ordered list of parameters. Validation happens here, once, so samplers can trust the space:
 * no empty space, no duplicate names, and every condition names a categorical parameter declared
 * earlier with values among its choices. "Declared earlier" gives samplers a simple order to draw
 * in: by the time a conditional parameter is reached, its parent's value is known.
 */
public record SearchSpace(List<Parameter> parameters) {
    public SearchSpace {
        Objects.requireNonNull(parameters, "parameters");
        if (parameters.isEmpty()) throw new IllegalArgumentException("search space is empty: give at least one parameter");
        Map<String, Parameter> seen = new HashMap<>();
        for (Parameter p : parameters) {
            Objects.requireNonNull(p, "parameter");
            if (seen.containsKey(p.name())) throw new IllegalArgumentException("duplicate parameter name '" + p.name() + "'");
            if (p.conditional()) {
                Condition c = p.condition();
                Parameter parent = seen.get(c.parent());
                if (parent == null) {
                    boolean later = parameters.stream().anyMatch(q -> q.name().equals(c.parent()));
                    throw new IllegalArgumentException("parameter '" + p.name() + "' is conditional on "
                            + (later ? "'" + c.parent() + "', which must be declared before it" : "unknown parameter '" + c.parent() + "'"));
                }
                if (!(parent.dimension() instanceof Dimension.Categorical cat))
                    throw new IllegalArgumentException("parameter '" + p.name() + "' is conditional on '" + c.parent() + "', which is not categorical");
                for (Object v : c.values())
                    if (cat.indexOf(v) < 0) throw new IllegalArgumentException("parameter '" + p.name() + "' is conditional on '" + c.parent()
                            + "' == " + v + ", which is not one of its choices " + cat.choices());
            }
            seen.put(p.name(), p);
        }
        parameters = List.copyOf(parameters);
    }

    public static SearchSpace of(Parameter... parameters) {
        return new SearchSpace(List.of(parameters));
    }

    /** The parameter called {@code name}; IllegalArgumentException naming it when absent. */
    public Parameter parameter(String name) {
        for (Parameter p : parameters) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("no parameter '" + name + "' in the search space");
    }

    /**
     * Whether {@code p} is active given the values drawn so far for earlier parameters: its
     * parent must itself be active (present in {@code drawn}) and hold one of the condition's values.
     */
    public static boolean isActive(Parameter p, Map<String, Object> drawn) {
        if (!p.conditional()) return true;
        Object parentValue = drawn.get(p.condition().parent());
        return parentValue != null && p.condition().values().contains(parentValue);
    }

    /** Names of all parameters, in declaration order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Parameter p : parameters) names.add(p.name());
        return names;
    }
}
