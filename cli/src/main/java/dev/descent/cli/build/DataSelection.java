package dev.descent.cli.build;

import dev.descent.data.Split;
import dev.descent.data.TensorDataset;
import java.util.function.Function;

/**
 * Which of a configuration's rows a run uses when it is not all of them: {@code descent tune}'s
 * trials leave the test rows out, and with cross-validation train on some folds of the training
 * rows and validate on the remaining one instead of the configuration's validation data.
 *
 * <p>The fold is taken from the training rows before the scaler is fitted, so the scaler
 * ({@code standard}, {@code minmax}) learns its statistics from the fold's training part only and
 * is applied unchanged to its validation part, as scikit-learn's {@code Pipeline} inside
 * {@code cross_val_score} does; fitting on all training rows first would let every validation
 * fold leak into the scaling of the rows it is compared with.
 *
 * @param withoutTest leave the test rows out
 * @param holdout     null for the configuration's own validation data; otherwise given the
 *                    training rows (features before scaling, targets as class indices or
 *                    values), which of them to train on and which to validate on
 */
public record DataSelection(boolean withoutTest, Function<TensorDataset, Split> holdout) {
    /** Every row as the configuration says. */
    public static final DataSelection ALL = new DataSelection(false, null);
}
