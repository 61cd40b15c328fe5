package dev.descent.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The mapping between class names as they appear in the data and class indices 0..k-1. Built
 * from the training data and saved with a run, so evaluation and prediction use the same indices.
 * Labels that are all integers are ordered numerically ("2" before "10"); others
 * lexicographically, as scikit-learn's LabelEncoder does.
 *
 * @param names class name of each index
 */
public record ClassLabels(List<String> names) {
    public ClassLabels {
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException("at least one class is needed");
        if (new TreeSet<>(names).size() != names.size()) throw new IllegalArgumentException("class names repeat: " + names);
    }

    /** The classes seen in {@code labels}, in the order described above. */
    public static ClassLabels fit(Collection<String> labels) {
        TreeSet<String> unique = new TreeSet<>(labels);
        List<String> ordered = new ArrayList<>(unique);
        if (ordered.stream().allMatch(ClassLabels::isInteger)) {
            ordered.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        }
        return new ClassLabels(ordered);
    }

    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public int size() {
        return names.size();
    }

    /** Index of a class name, or -1 when unknown. */
    public int indexOf(String name) {
        return index().getOrDefault(name, -1);
    }

    public String name(int index) {
        return names.get(index);
    }

    private Map<String, Integer> index() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), i);
        return m;
    }
}
