package dev.descent.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Exhaustive grid search: every combination of the categorical choices, every value of int ranges
 * (unless a grid is given for them), and the given grid values of each double dimension, in a fixed
 * order (the first parameter varies slowest). A conditional parameter contributes its values only
 * to combinations where it is active, so the grid is the set of distinct valid configurations, not
 * the raw product. Each call returns the first combination that no trial of the history (running
 * or finished) has taken, and throws {@link SearchExhaustedException} once all are taken.
 */
public final class GridSampler implements Sampler {
    private final Map<String, List<Object>> grids;

    /** @param grids values per parameter; required for double dimensions, optional for int ranges, forbidden for categoricals */
    public GridSampler(Map<String, ? extends List<?>> grids) {
        Map<String, List<Object>> copy = new HashMap<>();
        Objects.requireNonNull(grids, "grids").forEach((k, v) -> {
            if (v.isEmpty()) throw new IllegalArgumentException("grid for parameter '" + k + "' is empty");
            copy.put(k, List.copyOf(v));
        });
        this.grids = copy;
    }

    public GridSampler() {
        this(Map.of());
    }

    /** All combinations in the order they are handed out. Validates the grids against the space. */
    public List<Map<String, Object>> combinations(SearchSpace space) {
        for (String name : grids.keySet()) space.parameter(name);
        List<List<Object>> values = new ArrayList<>();
        for (Parameter p : space.parameters()) values.add(valuesOf(p));
        List<Map<String, Object>> out = new ArrayList<>();
        enumerate(space.parameters(), values, 0, new LinkedHashMap<>(), out);
        return out;
    }

    private static void enumerate(List<Parameter> ps, List<List<Object>> values, int i, LinkedHashMap<String, Object> cur, List<Map<String, Object>> out) {
        if (i == ps.size()) {
            out.add(new LinkedHashMap<>(cur));
            return;
        }
        Parameter p = ps.get(i);
        if (!SearchSpace.isActive(p, cur)) {
            enumerate(ps, values, i + 1, cur, out);
            return;
        }
        for (Object v : values.get(i)) {
            cur.put(p.name(), v);
            enumerate(ps, values, i + 1, cur, out);
            cur.remove(p.name());
        }
    }

    private List<Object> valuesOf(Parameter p) {
        List<Object> given = grids.get(p.name());
        return switch (p.dimension()) {
            case Dimension.Categorical c -> {
                if (given != null) throw new IllegalArgumentException("parameter '" + p.name() + "' is categorical; its grid is its choices, give none");
                yield c.choices();
            }
            case Dimension.IntRange r -> {
                if (given == null) {
                    List<Object> all = new ArrayList<>();
                    for (int v = r.low(); v <= r.high(); v += r.step()) all.add(v);
                    yield all;
                }
                for (Object v : given)
                    if (!(v instanceof Integer i) || i < r.low() || i > r.high() || (i - r.low()) % r.step() != 0)
                        throw new IllegalArgumentException("grid value " + v + " of parameter '" + p.name() + "' is not in " + r);
                yield given;
            }
            case Dimension.Uniform u -> doubles(p, given, u.low(), u.high());
            case Dimension.LogUniform l -> doubles(p, given, l.low(), l.high());
        };
    }

    private static List<Object> doubles(Parameter p, List<Object> given, double low, double high) {
        if (given == null) throw new IllegalArgumentException("parameter '" + p.name() + "' is continuous: grid search needs its grid values");
        List<Object> out = new ArrayList<>();
        for (Object v : given) {
            if (!(v instanceof Number n) || n.doubleValue() < low || n.doubleValue() > high)
                throw new IllegalArgumentException("grid value " + v + " of parameter '" + p.name() + "' is not in [" + low + ", " + high + "]");
            out.add(n.doubleValue());
        }
        return out;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> history, Direction direction, SplittableRandom rng) {
        Set<Map<String, Object>> taken = new HashSet<>();
        for (FrozenTrial t : history) taken.add(t.params().values());
        List<Map<String, Object>> all = combinations(space);
        for (Map<String, Object> c : all) if (!taken.contains(c)) return c;
        throw new SearchExhaustedException("grid exhausted: all " + all.size() + " combinations have been tried");
    }
}
