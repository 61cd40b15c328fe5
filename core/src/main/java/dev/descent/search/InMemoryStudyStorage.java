package dev.descent.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link StudyStorage} in a list, guarded by one lock; trials are immutable snapshots replaced on update. */
public final class InMemoryStudyStorage implements StudyStorage {
    private final List<FrozenTrial> trials = new ArrayList<>();
    // failed trial number -> its re-run's number; and how many re-runs in a row led to a trial
    private final Map<Integer, Integer> retriedBy = new HashMap<>();
    private final Map<Integer, Integer> attempt = new HashMap<>();

    @Override
    public synchronized int createTrial() {
        int n = trials.size();
        trials.add(FrozenTrial.running(n));
        return n;
    }

    @Override
    public synchronized Optional<NewTrial> createTrial(TrialBudget budget, int retryUpTo) {
        for (FrozenTrial t : trials) {
            int n = t.number();
            if (n <= retryUpTo && t.state() == TrialState.FAIL && !retriedBy.containsKey(n) && attempt.getOrDefault(n, 0) < budget.retryFailed()
                    && !t.params().values().isEmpty()) {
                int number = createTrial();
                retriedBy.put(n, number);
                attempt.put(number, attempt.getOrDefault(n, 0) + 1);
                setParams(number, t.params());
                return Optional.of(new NewTrial(number, t.params()));
            }
        }
        long counted = trials.stream().filter(t -> !retriedBy.containsKey(t.number()) && !(budget.retryFailed() > 0 && neverRan(t))).count();
        if (counted >= budget.total()) return Optional.empty();
        return Optional.of(new NewTrial(createTrial(), null));
    }

    /** A failed trial without parameters: it was created, but nothing was sampled for it or run. */
    private static boolean neverRan(FrozenTrial t) {
        return t.state() == TrialState.FAIL && t.params().values().isEmpty();
    }

    @Override
    public synchronized void setParams(int number, Params params) {
        trials.set(number, running(number, "set params of").withParams(params));
    }

    @Override
    public synchronized void reportIntermediate(int number, int step, double value) {
        trials.set(number, running(number, "report to").withIntermediate(step, value));
    }

    @Override
    public synchronized void finish(int number, TrialState state, Double value, String error) {
        if (state == TrialState.RUNNING) throw new IllegalArgumentException("cannot finish trial " + number + " as RUNNING");
        trials.set(number, running(number, "finish").finish(state, value, error));
    }

    @Override
    public synchronized FrozenTrial trial(int number) {
        if (number < 0 || number >= trials.size()) throw new IllegalArgumentException("no trial " + number + "; the study has " + trials.size());
        return trials.get(number);
    }

    @Override
    public synchronized List<FrozenTrial> trials() {
        return List.copyOf(trials);
    }

    private FrozenTrial running(int number, String what) {
        FrozenTrial t = trial(number);
        if (t.state().finished()) throw new IllegalStateException("cannot " + what + " trial " + number + ": it is already " + t.state());
        return t;
    }
}
