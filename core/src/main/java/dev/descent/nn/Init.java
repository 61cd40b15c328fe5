package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Weight initializers, as in PyTorch's {@code torch.nn.init}. Each one fills a float32 tensor
 * <em>in place</em> (through {@link Tensor#data()}, outside autograd) from an explicit
 * {@link Generator}, elements in row-major order, and returns the same tensor.
 *
 * <h2>Fans</h2>
 * For a weight of shape {@code [out, in, k1, k2, ...]} the receptive field is {@code k1*k2*...}
 * (1 for a matrix), {@code fan_in = in * receptive} and {@code fan_out = out * receptive}; tensors
 * with fewer than two dimensions have no fans.
 *
 * <h2>Formulas</h2>
 * <ul>
 *   <li>Xavier/Glorot (Glorot and Bengio, "Understanding the difficulty of training deep
 *       feedforward neural networks", AISTATS 2010): keeps the variance of activations and of
 *       gradients equal across layers, {@code Var(W) = gain^2 * 2 / (fan_in + fan_out)}: uniform on
 *       {@code [-a, a]} with {@code a = gain * sqrt(6 / (fan_in + fan_out))}, or normal with
 *       {@code std = gain * sqrt(2 / (fan_in + fan_out))}.
 *   <li>Kaiming/He (He, Zhang, Ren and Sun, "Delving Deep into Rectifiers", ICCV 2015): keeps the
 *       variance through rectifiers, {@code Var(W) = gain^2 / fan} with {@code fan} the fan-in
 *       (forward pass) or fan-out (backward pass): uniform on {@code [-b, b]} with
 *       {@code b = gain * sqrt(3 / fan)}, or normal with {@code std = gain / sqrt(fan)}.
 *   <li>Gains ({@link #gain}): linear and sigmoid 1, tanh 5/3, relu sqrt(2), leaky relu with
 *       slope a: sqrt(2 / (1 + a^2)).
 *   <li>PyTorch's default for {@link Linear} and {@link Conv2d} ({@link #pytorchDefault}):
 *       kaiming uniform with a = sqrt(5), which works out to weight and bias both uniform on
 *       {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]}.
 * </ul>
 */
public final class Init {
    private Init() {}

    /** Which fan a Kaiming initializer preserves the variance over. */
    public enum FanMode {
        /** Preserve the variance of activations in the forward pass. */
        FAN_IN,
        /** Preserve the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /** The nonlinearity that follows the layer, which sets the gain. */
    public enum Nonlinearity {
        LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU
    }

    /**
     * The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain: 1 for linear and
     * sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky relu
     * ({@code param} is the negative slope; ignored otherwise).
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3.0;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
        };
    }

    /** fan_in of a weight shape: {@code shape[1] * receptive field}. */
    public static int fanIn(int... shape) {
        requireFans(shape);
        return shape[1] * receptive(shape);
    }

    /** fan_out of a weight shape: {@code shape[0] * receptive field}. */
    public static int fanOut(int... shape) {
        requireFans(shape);
        return shape[0] * receptive(shape);
    }

    private static int receptive(int[] shape) {
        int r = 1;
        for (int i = 2; i < shape.length; i++) r *= shape[i];
        return r;
    }

    private static void requireFans(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fan in and fan out need a tensor of 2 or more dimensions, got shape " + Arrays.toString(shape));
        }
    }

    /** Fills with values uniform on [low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Generator gen) {
        if (!(high >= low)) throw new IllegalArgumentException("uniform: need low <= high, got [" + low + ", " + high + ")");
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * gen.nextDouble());
        return t;
    }

    /** Fills with normal values of the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * gen.nextGaussian());
        return t;
    }

    /** Fills with a constant. */
    public static Tensor constant(Tensor t, double value) {
        Arrays.fill(t.data(), (float) value);
        return t;
    }

    /** Fills with zeros. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    /** Fills with ones. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** Glorot uniform: U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}. */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        int[] s = t.shape();
        double a = gain * Math.sqrt(6.0 / (fanIn(s) + fanOut(s)));
        return uniform(t, -a, a, gen);
    }

    /** Glorot normal: N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        int[] s = t.shape();
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(s) + fanOut(s))), gen);
    }

    /**
     * He uniform: U(-b, b) with {@code b = gain * sqrt(3 / fan)}, {@code gain = gain(nonlinearity, a)}
     * and {@code fan} the fan-in or fan-out as {@code mode} says. torch.nn.init.kaiming_uniform_'s
     * defaults are {@code a = 0, FAN_IN, LEAKY_RELU}.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t.shape(), mode));
        return uniform(t, -bound, bound, gen);
    }

    /** He normal: N(0, std^2) with {@code std = gain / sqrt(fan)}, otherwise as {@link #kaimingUniform}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        return normal(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t.shape(), mode)), gen);
    }

    private static int fan(int[] shape, FanMode mode) {
        int f = mode == FanMode.FAN_IN ? fanIn(shape) : fanOut(shape);
        if (f == 0) throw new IllegalArgumentException("kaiming: tensor of shape " + Arrays.toString(shape) + " has a zero fan");
        return f;
    }

    /**
     * PyTorch's default initialization of {@code nn.Linear} and {@code nn.Conv2d}: the weight by
     * kaiming uniform with {@code a = sqrt(5)} (gain sqrt(1/3), hence U(-1/sqrt(fan_in),
     * 1/sqrt(fan_in))), then the bias, when not null, by U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
     * the weight's fan_in (0 when fan_in is 0).
     */
    public static void pytorchDefault(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias != null) {
            int fanIn = fanIn(weight.shape());
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform(bias, -bound, bound, gen);
        }
    }
}
