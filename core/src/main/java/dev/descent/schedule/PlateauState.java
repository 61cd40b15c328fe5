package dev.descent.schedule;

/**
 * Everything a {@link PlateauSchedule} remembers of the metrics reported to it: save it with a
 * checkpoint and {@link PlateauSchedule#restore(PlateauState) restore} it to continue exactly.
 * It holds PyTorch {@code ReduceLROnPlateau}'s state, except that the current learning rate is
 * kept as {@code scale}, the factor applied to the inner schedule.
 *
 * @param reports         metrics reported so far (PyTorch's {@code last_epoch}), >= 0
 * @param best            best metric so far, +infinity (mode min) or -infinity (mode max) before
 *                        any report; never NaN
 * @param badReports      consecutive reports without improvement ({@code num_bad_epochs}), >= 0
 * @param cooldownLeft    reports still ignored after the last reduction ({@code cooldown_counter}), >= 0
 * @param scale           factor applied to the inner schedule, in [0, 1]
 */
public record PlateauState(long reports, double best, int badReports, int cooldownLeft, double scale) {
    /** Validates each field on its own; {@link PlateauSchedule#restore} checks them against the options. */
    public PlateauState {
        Checks.nonNegative("plateau state", "reports", reports);
        if (Double.isNaN(best)) throw Checks.fail("plateau state", "best must not be NaN");
        Checks.nonNegative("plateau state", "bad_reports", badReports);
        Checks.nonNegative("plateau state", "cooldown_left", cooldownLeft);
        Checks.within("plateau state", "scale", scale, 0, 1);
    }

    /** The state before any report. */
    public static PlateauState initial(PlateauOptions options) {
        return new PlateauState(0, options.worst(), 0, 0, 1.0);
    }
}
