package dev.descent.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Independent random search (Bergstra and Bengio 2012, "Random Search for Hyper-Parameter
 * Optimization"): each active parameter is drawn from its prior, ignoring the history. Log
 * dimensions are uniform in {@code ln x}; categorical choices are equally likely.
 */
public final class RandomSampler implements Sampler {
    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> history, Direction direction, SplittableRandom rng) {
        Map<String, Object> drawn = new LinkedHashMap<>();
        for (Parameter p : space.parameters())
            if (SearchSpace.isActive(p, drawn)) drawn.put(p.name(), RandomDraws.draw(p.dimension(), rng));
        return drawn;
    }
}
