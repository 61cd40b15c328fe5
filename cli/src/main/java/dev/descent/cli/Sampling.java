package dev.descent.cli;

import dev.descent.tensor.Generator;
import java.util.Arrays;
import java.util.Comparator;

/** Drawing the next token from a language model's logits (temperature and top-k), for {@code descent generate}. */
final class Sampling {
    private Sampling() {}

    /**
     * A token id: the most likely one for temperature 0; otherwise drawn from
     * {@code softmax(logits / temperature)} over the {@code k} largest logits (ties: lower id
     * first), by one {@code nextDouble()} of the generator against the cumulative probabilities.
     */
    static int draw(float[] logits, int v, double temperature, int k, Generator gen) {
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i));
        if (temperature == 0) return order[0];
        double max = logits[order[0]];
        double[] p = new double[k];
        double z = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp((logits[order[j]] - max) / temperature);
            z += p[j];
        }
        double u = gen.nextDouble() * z, cumulative = 0;
        for (int j = 0; j < k; j++) {
            cumulative += p[j];
            if (u < cumulative) return order[j];
        }
        return order[k - 1];
    }
}
