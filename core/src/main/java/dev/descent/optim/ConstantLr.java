package dev.descent.optim;

import dev.descent.schedule.Schedule;

/** A constant learning rate, validated once (finite and {@code >= 0}). */
record ConstantLr(double value) implements Schedule {
    ConstantLr {
        Check.nonNegative("lr", value);
    }

    @Override
    public double lr(long step) {
        return value;
    }
}
