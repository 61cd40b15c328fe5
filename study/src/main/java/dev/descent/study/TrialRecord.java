package dev.descent.study;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * One trial as stored: a snapshot, not a live view.
 *
 * @param number        the trial's number in its study (0, 1, 2, ...)
 * @param state         where the trial is in its life
 * @param params        parameter name to value; each value is a {@link Double}, {@link Long} or
 *                      {@link String}, exactly the type it was stored with; sorted by name
 * @param value         the objective value; for a PRUNED trial its last intermediate value (null
 *                      when it reported none); null while running and for most failures
 * @param intermediates step to intermediate value (for pruning), ascending by step
 * @param error         why the trial failed ("interrupted" for one left running by a dead
 *                      process), or null
 * @param startedAt     when the trial was created (millisecond precision)
 * @param finishedAt    when it was finished, or null while running
 */
public record TrialRecord(int number, TrialState state, Map<String, Object> params, Double value,
                          SortedMap<Long, Double> intermediates, String error, Instant startedAt, Instant finishedAt) {}
