package dev.descent.cli.report;

import java.awt.Color;

/**
 * Colours for a quantity (a metric value, a trial number): viridis (van der Walt and Smith, the
 * matplotlib default), perceptually uniform and readable in grey and by colour-blind readers.
 * Position 0 is dark purple and 1 light green: {@code at(t)} is viridis at {@code 0.85 t}, because
 * the yellow end of viridis vanishes on a white page.
 */
final class ColorScale {
    // viridis at 0, 1/9, 2/9, ..., 1.
    private static final int[] STOPS = {0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};
    private static final double USED = 0.85;

    private ColorScale() {}

    /** The colour at {@code t} in [0, 1] (clamped), dark at 0. */
    static Color at(double t) {
        if (!(t >= 0)) t = 0;   // also NaN
        if (t > 1) t = 1;
        double x = USED * t * (STOPS.length - 1);
        int i = Math.min((int) x, STOPS.length - 2);
        double f = x - i;
        Color a = new Color(STOPS[i]), b = new Color(STOPS[i + 1]);
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
    }
}
