package dev.descent.cli.paths;

import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;

/**
 * A "model" whose only parameter is a point {@code xy = [x, y]} and whose output is the surface's
 * value there, whatever the input: training it with the Trainer (loss = the output) is plain
 * minimization of the function, with the Trainer's optimizer, schedule and step events.
 */
final class PointModel extends Module {
    private final Surface surface;

    PointModel(Surface surface, double x, double y) {
        this.surface = surface;
        registerParameter("xy", Tensor.vector((float) x, (float) y));
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor xy = parameter("xy");
        return surface.value(xy.narrow(0, 0, 1), xy.narrow(0, 1, 1));
    }

    /** The point now. */
    double[] point() {
        return parameter("xy").toDoubleArray();
    }
}
