package dev.descent.tensor;

import dev.descent.tensor.kernel.MaxPool2x2;
import java.util.Arrays;

/**
 * The pooling end of {@code maxPool2d(relu(conv2d(x)))} fused into the convolution's per-image
 * loop ({@link Convolution#conv2dReluMaxPool}), for the conv + ReLU + 2 x 2 max-pool block that
 * makes up most small CNNs:
 * <pre>
 *   forward, image n:  y_n = conv(x_n) in cache, then out_n = maxPool2x2(relu(y_n))   ({@link MaxPool2x2#reluForward})
 *   backward, image n: dY_n = the ReLU + pooling gradient of g_n at y_n in scratch    ({@link MaxPool2x2#reluBackward}),
 *                      then the convolution's dW, db, dX from dY_n as unfused
 * </pre>
 * The batch's conv output (11 MB for 32 channels of 26 x 26 on a batch of 128) is then written and
 * read once at most instead of three times, and the batch's dY (the same size) is never written:
 * every image's dY is made, used and dropped while in cache.
 *
 * <p>The backward pass needs y_n. A shallow convolution (depth K = C/groups * kH * kW at most
 * {@link #RECOMPUTE_DEPTH}, such as a first layer's 1 x 3 x 3) computes it again from the
 * columns the weight gradient unfolds anyway, a product of K multiply-adds per output, cheaper
 * than storing and reloading it; a deeper one keeps y for the step. Either way the values are
 * the forward's own bits (the same kernels on the same inputs), so the whole operation is bit for
 * bit the three operations in sequence.
 */
final class ConvReluMaxPool {
    /**
     * Deepest convolution whose output the backward pass computes again instead of keeping: at
     * K = 9 the product costs ~3 us per 32 x 26 x 26 image on one core, less than reading its 86 KB
     * back from memory; at K = 288 it would cost ~25 us per 64 x 11 x 11 image.
     */
    static final int RECOMPUTE_DEPTH = 32;

    private final ConvGeometry s;
    private final boolean keep;
    private final Tensor out;
    private final int pooledImage;

    /** {@code recording}: whether a backward pass will run (without one nothing is kept). */
    ConvReluMaxPool(ConvGeometry s, boolean recording) {
        this.s = s;
        this.keep = recording && s.k() > RECOMPUTE_DEPTH;
        int[] shape = {s.n(), s.o(), s.oh() / 2, s.ow() / 2};
        this.out = Tensor.allocateOverwritten(DType.F32, shape); // every window writes its maximum
        this.pooledImage = s.o() * shape[2] * shape[3];
    }

    /** Whether these pooling arguments after this convolution take the fused loops. */
    static boolean fuses(ConvGeometry s, int[] kernel, int[] stride, int[] padding) {
        int[] two = {2, 2};
        return Arrays.equals(kernel, two) && Arrays.equals(stride, two) && Arrays.equals(padding, new int[] {0, 0})
                && s.oh() >= 2 && s.ow() >= 2;
    }

    /** Whether the backward pass reads the conv output kept from the forward pass. */
    boolean keepsOutput() {
        return keep;
    }

    /** The pooled result [N, O, OH/2, OW/2]. */
    Tensor output() {
        return out;
    }

    /** Pools image n's conv output {@code y[yo..]} (O planes of OH x OW) into the result. */
    void forward(float[] y, int yo, int n) {
        MaxPool2x2.reluForward(y, yo, s.oh(), s.ow(), s.o(), out.f, n * pooledImage);
    }

    /** Image n's conv-output gradient into {@code dy[0..O*OH*OW)} (all written), from its output y and g. */
    void backward(float[] y, int yo, Tensor g, int n, float[] dy) {
        MaxPool2x2.reluBackward(y, yo, s.oh(), s.ow(), s.o(), out.f, n * pooledImage, g.f, g.offset + n * pooledImage, dy, 0);
    }
}
