package dev.descent.cli.paths;

import dev.descent.data.TensorDataset;
import dev.descent.optim.OptimizerSpec;
import dev.descent.tensor.Tensor;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer's path over a surface: the Trainer minimizes the surface from the start point
 * for a number of steps (one "epoch" of one dummy example per step), and a callback records the
 * point after every step.
 *
 * @param label  legend name
 * @param points the start point, then the point after each step ({x, y} pairs)
 * @param values f at each point (NaN once the path has left the finite numbers)
 * @param reason the Trainer's reason for ending ("completed", "failed: ...")
 */
public record PathRun(String label, List<double[]> points, double[] values, String reason) {
    public static PathRun run(String label, Surface surface, double x, double y, int steps, OptimizerSpec spec) {
        PointModel model = new PointModel(surface, x, y);
        List<double[]> points = new ArrayList<>();
        points.add(model.point());
        // The dummy example: the model ignores its input, and the loss is its output.
        TensorDataset one = new TensorDataset(Tensor.zeros(1, 1), Tensor.zeros(1));
        TrainResult result = Trainer.of(model, (out, target) -> out.sum(), spec).epochs(steps).batchSize(1).shuffle(false).withoutPrefetch()
                .callbacks((event, control) -> {
                    if (event instanceof TrainingEvent.Step) points.add(model.point());
                }).fit(one);
        double[] values = new double[points.size()];
        for (int i = 0; i < values.length; i++) values[i] = value(surface, points.get(i));
        return new PathRun(label, List.copyOf(points), values, result.reason());
    }

    static double value(Surface s, double[] p) {
        return s.value(Tensor.of(new double[] {p[0]}, 1), Tensor.of(new double[] {p[1]}, 1)).item();
    }

    public double[] end() {
        return points.get(points.size() - 1);
    }
}
