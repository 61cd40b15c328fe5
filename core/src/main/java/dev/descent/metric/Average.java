package dev.descent.metric;

/**
 * How per-class precision, recall or F1 become one number (scikit-learn's {@code average}):
 * MACRO is the unweighted mean over classes, WEIGHTED the mean weighted by each class's support,
 * MICRO computes the measure from the global TP, FP and FN counts (for single-label
 * classification, micro precision = micro recall = micro F1 = accuracy).
 */
public enum Average {
    MACRO, MICRO, WEIGHTED
}
