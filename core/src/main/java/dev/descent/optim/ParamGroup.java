package dev.descent.optim;

import dev.descent.schedule.Schedule;

import java.util.List;

/**
 * A bound parameter group: the names of its parameters, its learning-rate schedule and its
 * weight decay. Group 0 is the default group.
 */
public record ParamGroup(String label, List<String> params, Schedule lr, double weightDecay) {
    public ParamGroup {
        params = List.copyOf(params);
    }
}
