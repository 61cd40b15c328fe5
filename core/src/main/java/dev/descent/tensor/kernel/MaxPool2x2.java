package dev.descent.tensor.kernel;

/**
 * Float32 max pooling with a 2 x 2 kernel, stride 2 and no padding (the usual down-sampling
 * step of a CNN) over whole H x W planes; output {@code (H/2) x (W/2)}, a last odd row or
 * column belonging to no window. With window {@code a = x[2i][2j], b = x[2i][2j+1],
 * c = x[2i+1][2j], d = x[2i+1][2j+1]}:
 * <pre>
 *   out[i][j] = max(max(a, b), max(c, d))          (Math.max: NaN if any is NaN, +0 over -0)
 *   gx[argmax] = 0 + g[i][j]                        (the three others, and the odd edge, stay 0)
 * </pre>
 * The arg-max is PyTorch's: the first of a, b, c, d equal to the maximum, or the last NaN when
 * the maximum is NaN. This is what the general loops of the pooling op compute for this
 * geometry (a set's maximum under Math.max does not depend on the order it is folded in, and
 * {@code 0 + g} is what adding g into the zeroed gradient gives); these loops only drop the
 * general window arithmetic. Windows do not overlap, so each gradient element is written once.
 *
 * <p>Scalar code; in vector kernel mode the fused ReLU + pooling of planes that
 * {@link VectorMaxPool2x2#fits} runs there, the same operations lane by lane (same bits; the
 * CNN benchmark's 26-wide planes: 2.3x faster; its 11-wide ones about 2x). Callers split
 * planes over threads, and a plane's result does not depend on which thread computes it.
 */
public final class MaxPool2x2 {
    private MaxPool2x2() {}

    /** Window maxima of {@code planes} consecutive H x W planes at {@code x[xOff..]} into {@code out[oOff..]}. */
    public static void forward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff) {
        int oh = h / 2, ow = w / 2;
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, ob = oOff + plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w, o = ob + i * ow;
                for (int j = 0; j < ow; j++) {
                    out[o + j] = Math.max(Math.max(x[r0 + 2 * j], x[r0 + 2 * j + 1]), Math.max(x[r1 + 2 * j], x[r1 + 2 * j + 1]));
                }
            }
        }
    }

    /**
     * Gradient of {@code planes} planes: {@code out} holds the forward's maxima, {@code g} the
     * output gradient (same layout as out); {@code gx} (layout of x) must be zero on entry.
     */
    public static void backward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff, float[] g, int gOff,
                                float[] gx, int gxOff) {
        int oh = h / 2, ow = w / 2;
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, gb = gxOff + plane * h * w, ob = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w, o = ob + i * ow, dst = gb + 2 * i * w;
                for (int j = 0; j < ow; j++) {
                    float m = out[oOff + o + j];
                    int at = argmax(x[r0 + 2 * j], x[r0 + 2 * j + 1], x[r1 + 2 * j], x[r1 + 2 * j + 1], m, w);
                    gx[dst + 2 * j + at] = 0f + g[gOff + o + j];
                }
            }
        }
    }

    /**
     * Offset of the window's arg-max from its top-left element (0, 1, w or w + 1) for window
     * values a, b (top row), c, d (bottom row) and their maximum m: the first equal to m, or the
     * last NaN when m is NaN. Selected in reverse order, each keeping "equal ? here : kept", so the
     * first match wins: integer selects the JIT compiles without branches (a search loop that stops
     * at the match mispredicts on real data).
     */
    private static int argmax(float a, float b, float c, float d, float m, int w) {
        int at = c == m ? w : w + 1;
        at = b == m ? 1 : at;
        at = a == m ? 0 : at;
        if (m != m) at = d != d ? w + 1 : c != c ? w : b != b ? 1 : 0; // NaN: rare, predicted
        return at;
    }

    /**
     * ReLU with the RELU kernel's bits ({@code v > 0 ? v : v is NaN ? v : +0}) as Math.max(v, +0),
     * which returns a NaN argument itself and +0 over -0; unlike the comparison chain it compiles
     * without branches, which mispredict on the signs of real activations.
     */
    private static float relu(float v) {
        return Math.max(v, 0f);
    }

    /**
     * Window maxima of relu(x), without materializing relu(x): {@code max(max(relu a, relu b),
     * max(relu c, relu d))}, the same operations as {@link #forward} on the RELU kernel's output.
     */
    public static void reluForward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff) {
        if (KernelMode.vectorFor((long) planes * h * w)) {
            if (VectorMaxPool2x2.narrow(w)) {
                VectorMaxPool2x2.reluForwardNarrow(x, xOff, h, w, planes, out, oOff);
                return;
            }
            if (VectorMaxPool2x2.fits(w)) {
                VectorMaxPool2x2.reluForward(x, xOff, h, w, planes, out, oOff);
                return;
            }
        }
        int oh = h / 2, ow = w / 2;
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, ob = oOff + plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w, o = ob + i * ow;
                for (int j = 0; j < ow; j++) {
                    out[o + j] = Math.max(Math.max(relu(x[r0 + 2 * j]), relu(x[r0 + 2 * j + 1])),
                            Math.max(relu(x[r1 + 2 * j]), relu(x[r1 + 2 * j + 1])));
                }
            }
        }
    }

    /**
     * Gradient of maxPool2x2(relu(x)) with respect to x: the arg-max is chosen among the relu
     * values exactly as {@link #backward} does, and the relu gradient is applied at that one
     * position, {@code x <= 0 ? 0 : 0 + g} (what the relu-backward kernel gives on the pooling's
     * gradient; elsewhere both are 0). At the arg-max relu(x) is the window's maximum m, so the
     * test reads m: x &lt;= 0 there exactly when m is +0. Every element of the planes' {@code gx}
     * is written (the odd last row and column get 0), so it need not be zeroed first.
     */
    public static void reluBackward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff, float[] g, int gOff,
                                    float[] gx, int gxOff) {
        if (KernelMode.vectorFor((long) planes * h * w)) {
            if (VectorMaxPool2x2.narrow(w)) {
                VectorMaxPool2x2.reluBackwardNarrow(x, xOff, h, w, planes, out, oOff, g, gOff, gx, gxOff);
                return;
            }
            if (VectorMaxPool2x2.fits(w)) {
                VectorMaxPool2x2.reluBackward(x, xOff, h, w, planes, out, oOff, g, gOff, gx, gxOff);
                return;
            }
        }
        int oh = h / 2, ow = w / 2;
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, gb = gxOff + plane * h * w, ob = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                reluBackwardRow(x, base + 2 * i * w, w, out, oOff + ob + i * ow, g, gOff + ob + i * ow, gx, gb + 2 * i * w);
            }
            if ((h & 1) != 0) java.util.Arrays.fill(gx, gb + (h - 1) * w, gb + h * w, 0f);
        }
    }

    /**
     * {@link #reluBackward} for one row of windows: input rows {@code r0} and {@code r0 + w},
     * their maxima at {@code mo} and gradients at {@code go}, written to the two gradient rows at
     * {@code dst}. The vector kernels hand it the rare rows whose maxima hold a NaN, so that
     * their own code, without the NaN rules, stays small enough for C1 (see C1CompileSizeTest).
     */
    static void reluBackwardRow(float[] x, int r0, int w, float[] out, int mo, float[] g, int go, float[] gx, int dst) {
        int r1 = r0 + w, ow = w / 2;
        for (int j = 0; j < ow; j++) {
            float m = out[mo + j];
            int at = argmax(relu(x[r0 + 2 * j]), relu(x[r0 + 2 * j + 1]), relu(x[r1 + 2 * j]), relu(x[r1 + 2 * j + 1]), m, w);
            // relu(x) at the arg-max is m itself, so x <= 0 there exactly when m is +0 (m is
            // a relu value: +0, positive or NaN). Select by a bit mask, not a branch: all-
            // negative windows are common and unpredictable.
            int nonZero = Float.floatToRawIntBits(m) & 0x7fffffff;
            int keep = (nonZero | -nonZero) >> 31;
            // The whole window is written (zeros, then the arg-max), so gx needs no zero
            // fill first: one pass over it instead of two.
            int p0 = dst + 2 * j;
            gx[p0] = 0f;
            gx[p0 + 1] = 0f;
            gx[p0 + w] = 0f;
            gx[p0 + w + 1] = 0f;
            gx[p0 + at] = Float.intBitsToFloat(Float.floatToRawIntBits(0f + g[go + j]) & keep);
        }
        if ((w & 1) != 0) {
            gx[dst + w - 1] = 0f;
            gx[dst + 2 * w - 1] = 0f;
        }
    }
}
