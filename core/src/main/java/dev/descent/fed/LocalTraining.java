package dev.descent.fed;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.nn.Module;
import dev.descent.optim.OptimizerSpec;
import dev.descent.tensor.Tensor;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's local training: the global state loaded into the client's model, a fresh optimizer
 * (state is not carried between rounds, the FedAvg convention), {@code epochs} epochs of the
 * ordinary {@link Trainer} over the client's rows, seeded by (seed, round, client).
 *
 * <p>FedProx (Li et al., "Federated Optimization in Heterogeneous Networks", MLSys 2020) adds the
 * proximal term {@code mu/2 ||w - w_r||^2} to the client's loss, whose gradient
 * {@code mu (w - w_r)} pulls the client toward the round's global weights; {@code mu = 0} is FedAvg.
 */
public final class LocalTraining {
    private LocalTraining() {}

    public static ClientUpdate run(int round, int client, float[] global, Module model, Loss loss, OptimizerSpec spec,
                                   TensorDataset rows, int epochs, int batchSize, long seed, double mu) {
        ModelVector.load(model, global);
        Loss objective = loss;
        if (mu > 0) {
            List<Tensor> params = new ArrayList<>(model.parameters());
            List<Tensor> anchors = new ArrayList<>();
            for (Tensor p : params) anchors.add(p.detach().copy());
            objective = Losses.withPenalty(loss, () -> {
                Tensor sum = null;
                for (int i = 0; i < params.size(); i++) {
                    Tensor d = params.get(i).sub(anchors.get(i));
                    Tensor s = d.mul(d).sum();
                    sum = sum == null ? s : sum.add(s);
                }
                return sum.mul(mu / 2);
            });
        }
        long key = (seed * 0x9E3779B97F4A7C15L + round) * 0x9E3779B97F4A7C15L + client;
        TrainResult r = Trainer.of(model, objective, spec).epochs(epochs).batchSize(batchSize).seed(key).withoutPrefetch().fit(rows);
        double last = r.epochs().isEmpty() ? Double.NaN : r.epochs().getLast().getOrDefault("loss", Double.NaN);
        return new ClientUpdate(client, rows.size(), ModelVector.of(model), last);
    }
}
