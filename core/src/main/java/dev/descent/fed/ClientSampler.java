package dev.descent.fed;

import dev.descent.tensor.Generator;
import java.util.Arrays;

/**
 * The clients of round r: m = max(1, ceil(fraction K)) of the K clients, uniformly without
 * replacement, from a generator keyed by (seed, r), in ascending order. A round's sample depends on
 * nothing but the seed and the round, so a resumed or re-run round samples the same clients.
 */
public final class ClientSampler {
    private ClientSampler() {}

    public static int[] sample(long seed, int round, int clients, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        int m = Math.max(1, (int) Math.ceil(fraction * clients - 1e-9));
        int[] perm = Generator.seeded(seed * 0x9E3779B97F4A7C15L + round).permutation(clients);
        int[] out = Arrays.copyOf(perm, m);
        Arrays.sort(out);
        return out;
    }
}
