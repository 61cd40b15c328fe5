package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses parameters by name (PyTorch state_dict names such as {@code "0.weight"} or
 * {@code "encoder.norm.bias"}) and/or by the tensor itself (its rank, say).
 */
@FunctionalInterface
public interface ParamSelector {
    boolean matches(String name, Tensor param);

    /**
     * Whole-name glob: {@code *} matches any run of characters (dots included, so
     * {@code "*.bias"} matches every bias at any depth), {@code ?} exactly one character; every
     * other character matches itself.
     */
    static ParamSelector glob(String glob) {
        if (glob == null || glob.isEmpty()) throw new IllegalArgumentException("Invalid glob: empty");
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL);
        return named("glob '" + glob + "'", (name, t) -> p.matcher(name).matches());
    }

    /** Names matching the whole regular expression. */
    static ParamSelector regex(String regex) {
        Pattern p = Pattern.compile(regex);
        return named("regex '" + regex + "'", (name, t) -> p.matcher(name).matches());
    }

    /** Exactly the given names. */
    static ParamSelector names(String... names) {
        Set<String> set = Set.of(names);
        return named("names " + set, (name, t) -> set.contains(name));
    }

    /** Parameters of rank 0 or 1 (biases, and the scales and shifts of normalization layers). */
    static ParamSelector vectors() {
        return named("rank <= 1", (name, t) -> t.dim() <= 1);
    }

    /** Either selector. */
    default ParamSelector or(ParamSelector other) {
        ParamSelector self = this;
        return named(self + " or " + other, (name, t) -> self.matches(name, t) || other.matches(name, t));
    }

    private static ParamSelector named(String description, ParamSelector s) {
        return new ParamSelector() {
            @Override public boolean matches(String name, Tensor param) { return s.matches(name, param); }
            @Override public String toString() { return description; }
        };
    }
}
