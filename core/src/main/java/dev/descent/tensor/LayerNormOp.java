package dev.descent.tensor;

/**
 * Layer normalization over the last {@code n} elements of every row as one operation with its
 * own derivative rule (Ba, Kiros and Hinton, "Layer Normalization", 2016):
 *
 * <pre>
 * mean = sum(x) / n,  var = sum((x - mean)^2) / n,  rstd = 1 / sqrt(var + eps)
 * xhat = (x - mean) rstd,  y = xhat * weight + bias
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)),  dxhat = dy * weight
 * dweight = sum over rows of dy xhat,  dbias = sum over rows of dy
 * </pre>
 *
 * The composed form (mean, var, sub, div) broadcast a [rows, 1] statistic against [rows, n]
 * through the general strided path and kept four temporaries; here each row is two passes in
 * double and only mean and rstd per row are kept for the backward pass.
 */
final class LayerNormOp {
    private LayerNormOp() {}

    static Tensor apply(Tensor x, int n, Tensor weight, Tensor bias, double eps) {
        if (n <= 0 || x.numel % n != 0 || x.shape.length == 0) throw new ShapeException("layerNorm: " + n + " does not divide the shape " + Shapes.format(x.shape));
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null && p.numel != n) throw new ShapeException("layerNorm: weight or bias of shape " + Shapes.format(p.shape) + " for rows of " + n);
        }
        if (weight != null) Ops.sameDType("layerNorm", x, weight);
        if (bias != null) Ops.sameDType("layerNorm", x, bias);
        int rows = x.numel / n;
        double[] xs = x.toDoubleArray();
        double[] w = weight == null ? null : weight.toDoubleArray(), b = bias == null ? null : bias.toDoubleArray();
        double[] mean = new double[rows], rstd = new double[rows];
        double[] y = new double[xs.length];
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double s = 0;
            for (int i = 0; i < n; i++) s += xs[o + i];
            double m = s / n, v = 0;
            for (int i = 0; i < n; i++) {
                double d = xs[o + i] - m;
                v += d * d;
            }
            double rs = 1 / Math.sqrt(v / n + eps);
            mean[r] = m;
            rstd[r] = rs;
            for (int i = 0; i < n; i++) {
                double h = (xs[o + i] - m) * rs;
                y[o + i] = (w == null ? h : h * w[i]) + (b == null ? 0 : b[i]);
            }
        }
        Tensor out = fromDoubles(x.dtype, y, x.shape);
        return Ops.record(out, "layerNorm", g -> {
            double[] gs = g.toDoubleArray();
            double[] dx = new double[xs.length], dw = new double[n], db = new double[n];
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                double m = mean[r], rs = rstd[r], sumD = 0, sumDH = 0;
                for (int i = 0; i < n; i++) {
                    double h = (xs[o + i] - m) * rs, gi = gs[o + i];
                    double dh = w == null ? gi : gi * w[i];
                    dw[i] += gi * h;
                    db[i] += gi;
                    sumD += dh;
                    sumDH += dh * h;
                }
                double meanD = sumD / n, meanDH = sumDH / n;
                for (int i = 0; i < n; i++) {
                    double h = (xs[o + i] - m) * rs;
                    double dh = w == null ? gs[o + i] : gs[o + i] * w[i];
                    dx[o + i] = rs * (dh - meanD - h * meanDH);
                }
            }
            return new Tensor[] {
                    x.requiresGrad() ? fromDoubles(x.dtype, dx, x.shape) : null,
                    weight != null && weight.requiresGrad() ? fromDoubles(x.dtype, dw, weight.shape) : null,
                    bias != null && bias.requiresGrad() ? fromDoubles(x.dtype, db, bias.shape) : null};
        }, x, weight, bias);
    }

    private static Tensor fromDoubles(DType dtype, double[] values, int[] shape) {
        if (dtype == DType.F64) return Tensor.of(values, shape.clone());
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Tensor.of(f, shape.clone());
    }
}
