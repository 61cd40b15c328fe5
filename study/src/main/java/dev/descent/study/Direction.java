package dev.descent.study;

/** Whether a study looks for the smallest or the largest objective value. */
public enum Direction {
    MINIMIZE,
    MAXIMIZE
}
