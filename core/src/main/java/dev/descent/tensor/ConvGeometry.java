package dev.descent.tensor;

/**
 * The sizes of one 2-D convolution (or pooling) over NCHW input, validated once.
 *
 * <p>Output size per spatial dimension, as in PyTorch:
 * <pre>
 *   out = floor((in + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1
 * </pre>
 * ({@code dilation*(kernel-1) + 1} is the extent of the dilated kernel).
 *
 * @param n batch size; {@code c} input channels; {@code h, w} input height and width
 * @param o output channels (the channel count for pooling); {@code groups} channel groups
 * @param kH kernel height; the other fields follow the same h/w naming
 */
record ConvGeometry(int n, int c, int h, int w, int o, int groups, int kH, int kW,
                    int sH, int sW, int pH, int pW, int dH, int dW, int oh, int ow) {

    /** Channels per group on the input side. */
    int cg() {
        return c / groups;
    }

    /** Output channels per group. */
    int og() {
        return o / groups;
    }

    /** Rows of the per-group column matrix: cg * kH * kW. */
    int k() {
        return cg() * kH * kW;
    }

    /** A 2 x 2 window with stride 2 and no padding: the case {@code MaxPool2x2}'s loops cover. */
    boolean isHalving2x2() {
        return kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0;
    }

    /** Output positions per image and channel: oh * ow. */
    int p() {
        return oh * ow;
    }

    /** The spatial part, as the im2col kernel takes it. */
    dev.descent.tensor.kernel.Im2Col.Window window() {
        return new dev.descent.tensor.kernel.Im2Col.Window(h, w, kH, kW, sH, sW, pH, pW, dH, dW, oh, ow);
    }

    int[] outShape() {
        return new int[] {n, o, oh, ow};
    }

    /** Output length of one spatial dimension, or -1 when the (dilated) kernel does not fit. */
    static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        int span = in + 2 * padding - dilation * (kernel - 1) - 1;
        return span < 0 ? -1 : span / stride + 1;
    }

    static int[] pair(String op, String name, int[] v, int min) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must be an {h, w} pair, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        if (v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " " + java.util.Arrays.toString(v) + " must be at least " + min);
        }
        return v;
    }

    static void rank4(String op, String what, Tensor t) {
        if (t.shape.length != 4) {
            throw new ShapeException(op + ": " + what + " must be 4-D [N, C, H, W], got " + Shapes.format(t.shape));
        }
    }

    /** Checks input, weight and bias of conv2d against each other and the hyperparameters. */
    static ConvGeometry conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d";
        rank4(op, "input", x);
        if (weight.shape.length != 4) {
            throw new ShapeException(op + ": weight must be 4-D [out, in/groups, kH, kW], got " + Shapes.format(weight.shape));
        }
        Ops.sameDType(op, x, weight);
        if (bias != null) Ops.sameDType(op, x, bias);
        pair(op, "stride", stride, 1);
        pair(op, "padding", padding, 0);
        pair(op, "dilation", dilation, 1);
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be at least 1, got " + groups);
        int c = x.shape[1], o = weight.shape[0];
        if (c != weight.shape[1] * groups) {
            throw new ShapeException(op + ": input " + Shapes.format(x.shape) + " has " + c + " channels but weight "
                    + Shapes.format(weight.shape) + " expects " + weight.shape[1] * groups + " (groups " + groups + ")");
        }
        if (o % groups != 0) {
            throw new ShapeException(op + ": weight " + Shapes.format(weight.shape) + " has " + o
                    + " output channels, not divisible by groups " + groups);
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != o)) {
            throw new ShapeException(op + ": bias " + Shapes.format(bias.shape) + " must be [" + o + "] for weight " + Shapes.format(weight.shape));
        }
        int kH = weight.shape[2], kW = weight.shape[3];
        int oh = outputSize(x.shape[2], kH, stride[0], padding[0], dilation[0]);
        int ow = outputSize(x.shape[3], kW, stride[1], padding[1], dilation[1]);
        if (oh < 1 || ow < 1 || kH < 1 || kW < 1) {
            throw new ShapeException(op + ": kernel " + kH + "x" + kW + " with dilation " + java.util.Arrays.toString(dilation)
                    + " does not fit input " + Shapes.format(x.shape) + " padded by " + java.util.Arrays.toString(padding));
        }
        return new ConvGeometry(x.shape[0], c, x.shape[2], x.shape[3], o, groups, kH, kW,
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], oh, ow);
    }

    /** Checks a pooling call; padding may be at most half the kernel, as PyTorch requires. */
    static ConvGeometry pool2d(String op, Tensor x, int[] kernel, int[] stride, int[] padding) {
        rank4(op, "input", x);
        pair(op, "kernel", kernel, 1);
        pair(op, "stride", stride, 1);
        pair(op, "padding", padding, 0);
        if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
            throw new IllegalArgumentException(op + ": padding " + java.util.Arrays.toString(padding)
                    + " must be at most half of kernel " + java.util.Arrays.toString(kernel));
        }
        int oh = outputSize(x.shape[2], kernel[0], stride[0], padding[0], 1);
        int ow = outputSize(x.shape[3], kernel[1], stride[1], padding[1], 1);
        if (oh < 1 || ow < 1) {
            throw new ShapeException(op + ": kernel " + java.util.Arrays.toString(kernel) + " does not fit input "
                    + Shapes.format(x.shape) + " padded by " + java.util.Arrays.toString(padding));
        }
        int c = x.shape[1];
        return new ConvGeometry(x.shape[0], c, x.shape[2], x.shape[3], c, c, kernel[0], kernel[1],
                stride[0], stride[1], padding[0], padding[1], 1, 1, oh, ow);
    }
}
