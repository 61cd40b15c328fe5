package dev.descent.search;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses the parameters of the next trial (the "ask" half of ask/tell).
 *
 * <p>Implementations must draw all randomness from {@code rng}, never from a global generator:
 * the study seeds {@code rng} from its own seed and the trial number, which is what makes a study
 * reproducible. {@code history} holds every other trial of the study, RUNNING ones included (their
 * params are already fixed), so a grid sampler does not hand out the same point twice. In
 * {@link Study#optimize} with several threads, trials the new trial may not learn from yet are
 * shown as RUNNING with their params only, whatever their real state, so that the draw does not
 * depend on which trial finished first.
 */
@FunctionalInterface
public interface Sampler {
    /**
     * @return a value for every parameter of {@code space} that is active given the others, in declaration order
     * @throws SearchExhaustedException when the sampler has nothing left to propose
     */
    Map<String, Object> sample(SearchSpace space, List<FrozenTrial> history, Direction direction, SplittableRandom rng);
}
