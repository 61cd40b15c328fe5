package dev.descent.nn;

import dev.descent.tensor.DType;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization (Ioffe and Szegedy, "Batch Normalization: Accelerating Deep Network Training
 * by Reducing Internal Covariate Shift", ICML 2015), the shared part of {@link BatchNorm1d} and
 * {@link BatchNorm2d}. For each channel {@code c} (dimension 1 of the input), over all the other
 * dimensions (batch and spatial, {@code n} values):
 *
 * <pre>
 * y = (x - mean_c) / sqrt(var_c + eps) * weight[c] + bias[c]
 * </pre>
 *
 * <ul>
 *   <li><b>Training mode</b>: {@code mean_c} and {@code var_c} are the statistics of the batch, the
 *       variance <em>biased</em> (divided by {@code n}); gradients flow through them. The running
 *       statistics (buffers {@code running_mean}, {@code running_var}) are then updated as in
 *       PyTorch: {@code running = (1 - momentum) * running + momentum * batch}, where the batch
 *       variance is the <em>unbiased</em> one ({@code * n / (n - 1)}); {@code num_batches_tracked}
 *       counts the updates. With {@link Options#CUMULATIVE_AVERAGE} as momentum the factor is
 *       {@code 1 / num_batches_tracked}, a plain average of all batches seen.
 *   <li><b>Evaluation mode</b>: {@code mean_c} and {@code var_c} are the running statistics,
 *       constants; nothing is updated.
 * </ul>
 *
 * Batch norm is a regularization layer as well as a normalization: the noise of per-batch
 * statistics acts like dropout (section 3.4 of the paper). Without {@code affine} there is no
 * weight and bias; without {@code trackRunningStats} there are no buffers and batch statistics are
 * used in both modes. {@code num_batches_tracked} is held as a float32 0-d tensor (Descent has no
 * integer type), exact up to 2^24 updates, and saved as I64 as PyTorch saves it; a state dict
 * without it (PyTorch's before version 2 of the module) loads with 0, as PyTorch loads it.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    /**
     * Hyperparameters with PyTorch's names and defaults ({@link #DEFAULT}: eps 1e-5, momentum 0.1,
     * affine, tracking running statistics).
     *
     * @param momentum weight of the new batch in the running statistics, in [0, 1], or
     *                 {@link #CUMULATIVE_AVERAGE} (PyTorch's {@code momentum=None})
     */
    public record Options(double eps, double momentum, boolean affine, boolean trackRunningStats) {
        /** Momentum value meaning a cumulative average of all batches (PyTorch's {@code momentum=None}). */
        public static final double CUMULATIVE_AVERAGE = Double.NaN;
        /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
        public static final Options DEFAULT = new Options(1e-5, 0.1, true, true);

        public Options {
            if (!(eps > 0)) throw new IllegalArgumentException("BatchNorm: eps must be positive, got " + eps);
            if (!Double.isNaN(momentum) && !(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1] (or CUMULATIVE_AVERAGE), got " + momentum);
            }
        }

        /** These options with another momentum. */
        public Options withMomentum(double m) {
            return new Options(eps, m, affine, trackRunningStats);
        }

        /** These options with another eps. */
        public Options withEps(double e) {
            return new Options(e, momentum, affine, trackRunningStats);
        }
    }

    private final int numFeatures;
    private final Options options;

    BatchNorm(int numFeatures, Options options) {
        if (numFeatures <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.options = options;
        if (options.affine()) {
            registerParameter("weight", Tensor.ones(numFeatures));
            registerParameter("bias", Tensor.zeros(numFeatures));
        }
        if (options.trackRunningStats()) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerCountBuffer("num_batches_tracked");
        }
    }

    public int numFeatures() { return numFeatures; }

    public Options options() { return options; }

    /** PyTorch's {@code _load_from_state_dict}: a state dict from before the counter existed counts 0 batches. */
    @Override
    protected Tensor missingBuffer(String name) {
        return name.equals("num_batches_tracked") ? Tensor.zeros() : null;
    }

    /** Throws unless the input has an accepted rank and {@code numFeatures} channels in dimension 1. */
    abstract void checkInput(Tensor input);

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        Tensor weight = options.affine() ? parameter("weight") : null;
        Tensor bias = options.affine() ? parameter("bias") : null;
        if (!options.trackRunningStats()) {
            return batchNorm(input, null, null, weight, bias, true, 0, options.eps());
        }
        float[] count = buffer("num_batches_tracked").data();
        float updates = count[0] + 1;
        double factor = Double.isNaN(options.momentum()) ? 1.0 / updates : options.momentum();
        Tensor y = batchNorm(input, buffer("running_mean"), buffer("running_var"), weight, bias, isTraining(), factor, options.eps());
        if (isTraining()) count[0] = updates;
        return y;
    }

    /**
     * Batch normalization as a function, like {@code torch.nn.functional.batch_norm}: {@code x} is
     * {@code [N, C, ...]}; {@code weight} and {@code bias} ({@code [C]}) may be null; in training
     * mode the batch statistics are used and, when the running tensors are not null, these are
     * updated in place with {@code momentum}; otherwise the running statistics are used. Works in
     * float32 and float64 (all tensors of one type).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (x.dim() < 2) throw new IllegalArgumentException("batchNorm: input must be [N, C, ...], got " + Arrays.toString(x.shape()));
        int channels = x.size(1);
        int[] dims = new int[x.dim() - 1];
        int[] channelShape = new int[x.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = channels;
        dims[0] = 0;
        for (int i = 2; i < x.dim(); i++) dims[i - 1] = i;
        Tensor mean;
        Tensor var;
        if (training || runningMean == null) {
            int n = x.numel() / channels;
            if (n <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel in training, got input of shape "
                        + Arrays.toString(x.shape()));
            }
            mean = x.mean(dims, true);
            var = x.var(dims, 0, true);
            if (training && runningMean != null) {
                updateRunning(runningMean, mean, momentum, 1.0);
                updateRunning(runningVar, var, momentum, n / (n - 1.0));
            }
        } else {
            mean = runningMean.reshape(channelShape);
            var = runningVar.reshape(channelShape);
        }
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) y = y.mul(weight.reshape(channelShape));
        if (bias != null) y = y.add(bias.reshape(channelShape));
        return y;
    }

    /** running = (1 - momentum) * running + momentum * scale * batch, in place and outside autograd. */
    private static void updateRunning(Tensor running, Tensor batch, double momentum, double scale) {
        try (var scope = GradMode.noGrad()) {
            double[] b = batch.toDoubleArray();
            if (running.dtype() == DType.F32) {
                float[] r = running.data();
                for (int c = 0; c < r.length; c++) r[c] = (float) ((1 - momentum) * r[c] + momentum * scale * b[c]);
            } else {
                double[] r = running.data64();
                for (int c = 0; c < r.length; c++) r[c] = (1 - momentum) * r[c] + momentum * scale * b[c];
            }
        }
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + options.eps() + ", momentum=" + (Double.isNaN(options.momentum()) ? "None" : options.momentum())
                + ", affine=" + options.affine() + ", track_running_stats=" + options.trackRunningStats();
    }
}
