package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation) over {@code [N, C_in, H, W]}, as PyTorch's {@code nn.Conv2d}:
 *
 * <pre>
 * out[n, o, i, j] = bias[o] + sum_{c, p, q} weight[o, c, p, q]
 *                   * x_padded[n, g*C_in/groups + c, i*sH + p*dH, j*sW + q*dW]
 * </pre>
 *
 * where {@code g} is the group of output channel {@code o}. Output size per spatial dimension:
 * {@code floor((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1}. Parameters:
 * {@code weight [C_out, C_in/groups, kH, kW]} and {@code bias [C_out]} (optional). Zero padding.
 *
 * <p>Initialization is PyTorch's default ({@link Init#pytorchDefault}): weight and bias uniform on
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]} with {@code fan_in = C_in/groups * kH * kW}.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    private final boolean bias;

    private Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
                   boolean bias, Generator gen) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("Conv2d: channels must be positive, got " + inChannels + " -> " + outChannels);
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in_channels=" + inChannels
                    + " and out_channels=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = pair("kernel_size", kernel, 1);
        this.stride = pair("stride", stride, 1);
        this.padding = pair("padding", padding, 0);
        this.dilation = pair("dilation", dilation, 1);
        this.groups = groups;
        this.bias = bias;
        Tensor w = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, this.kernel[0], this.kernel[1]));
        Tensor b = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    static int[] pair(String what, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(what + " must be two integers >= " + min + ", got " + Arrays.toString(v));
        }
        return v.clone();
    }

    /** Square kernel, stride 1, no padding, with bias. */
    public static Conv2d of(int inChannels, int outChannels, int kernelSize, Generator gen) {
        return of(inChannels, outChannels, kernelSize, 1, 0, gen);
    }

    /** Square kernel with the given stride and padding (both dimensions), with bias. */
    public static Conv2d of(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator gen) {
        return new Conv2d(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, 1, true, gen);
    }

    /** Every option: {@code {h, w}} pairs for kernel, stride, padding and dilation. */
    public static Conv2d of(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation,
                            int groups, boolean bias, Generator gen) {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, gen);
    }

    /** The weight {@code [C_out, C_in/groups, kH, kW]}. */
    public Tensor weight() { return parameter("weight"); }

    /** The bias {@code [C_out]}, or null when the layer has none. */
    public Tensor bias() { return bias ? parameter("bias") : null; }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return checked(input).conv2d(weight(), bias(), stride, padding, dilation, groups);
    }

    /**
     * {@code pool.forward(relu(forward(input)))} in one fused operation (same bits, neither the
     * convolution's nor the ReLU's output kept as a batch-sized array); what {@link Sequential}
     * runs for this convolution directly followed by a ReLU and a max pooling.
     */
    Tensor forwardReluMaxPool(Tensor input, MaxPool2d pool) {
        return checked(input).conv2dReluMaxPool2d(weight(), bias(), stride, padding, dilation, groups, pool.kernel, pool.stride, pool.padding);
    }

    private Tensor checked(Tensor input) {
        if (input.dim() != 4 || input.size(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d(" + inChannels + " -> " + outChannels + "): expected input [N, " + inChannels
                    + ", H, W], got " + Arrays.toString(input.shape()));
        }
        return input;
    }

    /** Stride {@code {h, w}}. */
    public int[] stride() { return stride.clone(); }

    /** Zero padding {@code {h, w}} on each side. */
    public int[] padding() { return padding.clone(); }

    /** Dilation {@code {h, w}}. */
    public int[] dilation() { return dilation.clone(); }

    public int groups() { return groups; }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups
                + ", bias=" + bias;
    }
}
