package dev.descent.tensor;

import java.util.Arrays;

/**
 * An n-dimensional array of float32 (or float64, for gradient checks) values on the Java heap,
 * with reverse-mode automatic differentiation.
 *
 * <h2>Storage and views</h2>
 * A tensor is a window onto a flat array: {@code element(i0, i1, ...) = storage[offset + sum(ik *
 * stride[k])]}. {@link #reshape}, {@link #permute}, {@link #transpose}, {@link #narrow} and
 * {@link #expand} return views that share storage where the layout allows (a stride of 0 repeats
 * an element, which is how broadcasting is expressed); {@link #contiguous()} copies into row-major
 * order when needed. Tensors are immutable from the outside except through {@link #data()}, which
 * optimizers use to update parameters in place.
 *
 * <h2>Gradients</h2>
 * Operations on tensors that {@linkplain #requiresGrad() require gradients} record a graph (when
 * {@link GradMode} is enabled). {@link #backward()} on a scalar result walks it in reverse and
 * <em>adds</em> the gradient of the result to {@link #grad()} of every leaf that requires one, as
 * PyTorch does: gradients accumulate across backward calls until {@link #zeroGrad()} clears them.
 * Optimizers clear them for you through {@code optimizer.zeroGrad()}.
 */
public final class Tensor {
    final DType dtype;
    final float[] f;   // storage when dtype == F32
    final double[] d;  // storage when dtype == F64
    final int[] shape;
    final int[] strides;
    final int offset;
    final int numel;

    private boolean requiresGrad;
    private Tensor grad;
    Node node; // the operation that produced this tensor, or null for a leaf

    Tensor(float[] storage, int[] shape, int[] strides, int offset) {
        this.dtype = DType.F32;
        this.f = storage;
        this.d = null;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.numel = Shapes.numel(shape);
    }

    Tensor(double[] storage, int[] shape, int[] strides, int offset) {
        this.dtype = DType.F64;
        this.f = null;
        this.d = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.numel = Shapes.numel(shape);
    }

    /** A new contiguous tensor of the given type and shape, filled with zeros. */
    static Tensor allocate(DType dtype, int[] shape) {
        int n = Shapes.numel(shape);
        int[] s = shape.clone();
        if (dtype == DType.F32) {
            float[] planned = StepSession.take(n, true);
            if (planned != null) return new Tensor(planned, s, Shapes.contiguousStrides(s), 0);
            float[] recycled = StoragePool.take(n);
            return new Tensor(recycled != null ? recycled : new float[n], s, Shapes.contiguousStrides(s), 0);
        }
        return new Tensor(new double[n], s, Shapes.contiguousStrides(s), 0);
    }

    /**
     * A new contiguous tensor whose contents are unspecified: for kernels that write every
     * element. A recycled array is then handed over as it is, skipping the zero fill that
     * {@link #allocate} (and the JVM, for a fresh array) must pay.
     */
    static Tensor allocateOverwritten(DType dtype, int[] shape) {
        if (dtype != DType.F32) return allocate(dtype, shape);
        int n = Shapes.numel(shape);
        int[] s = shape.clone();
        float[] planned = StepSession.take(n, false);
        if (planned != null) return new Tensor(planned, s, Shapes.contiguousStrides(s), 0);
        float[] recycled = StoragePool.takeDirty(n);
        return new Tensor(recycled != null ? recycled : new float[n], s, Shapes.contiguousStrides(s), 0);
    }

    /**
     * Gives this tensor's storage back for later tensors of the same size to reuse, instead of
     * leaving it to the garbage collector: Java's answer to the reference count that frees a
     * PyTorch tensor at once (DJL's {@code NDArray.close()} plays the same part).
     *
     * <p>Call it only when neither this tensor nor any view of it (reshape, slice, detach,
     * anything sharing its storage) will be read or written again: afterwards they may show the
     * values of some later tensor. Does nothing for float64 tensors, views of a larger storage,
     * and small tensors, which the collector handles cheaply. The Trainer calls it for what a
     * training step provably leaves behind (its batch, the last gradients of a plain eager step);
     * a {@link CapturedStep}'s storage is planned instead, and releasing it does nothing.
     */
    public void release() {
        if (isWholeF32()) StoragePool.give(f);
    }

    // ----------------------------------------------------------------------------------- creation

    /**
     * A float32 tensor of the given shape whose values are unspecified (PyTorch's
     * {@code torch.empty}): it may reuse released storage that still holds old values. For code
     * that writes every element through {@link #data()} before anything reads it.
     */
    public static Tensor empty(int... shape) {
        for (int d : shape) {
            if (d < 0) throw new ShapeException("empty: negative size in shape " + Shapes.format(shape));
        }
        return allocateOverwritten(DType.F32, shape);
    }

    /** Float32 tensor holding {@code data} (not copied) in row-major order. */
    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(data, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** Float64 tensor holding {@code data} (not copied) in row-major order. */
    public static Tensor of(double[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(data, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** 1-D float32 tensor of the given values (copied). */
    public static Tensor vector(float... values) {
        return of(values.clone(), values.length);
    }

    /** 0-D float32 tensor. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** 0-D float64 tensor. */
    public static Tensor scalar(double value) {
        return of(new double[] {value});
    }

    private static void checkLength(int length, int[] shape) {
        int n = Shapes.numel(shape);
        if (n != length) {
            throw new ShapeException("of: " + length + " values do not fill shape " + Shapes.format(shape) + " (" + n + " elements)");
        }
    }

    public static Tensor zeros(int... shape) {
        return allocate(DType.F32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return allocate(dtype, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = allocate(DType.F32, shape);
        Arrays.fill(t.f, value);
        return t;
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = allocate(dtype, shape);
        if (dtype == DType.F32) Arrays.fill(t.f, (float) value);
        else Arrays.fill(t.d, value);
        return t;
    }

    /** 0, 1, ..., n-1 as float32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, ... (excluding end) as float32, like {@code torch.arange}. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange: no values from " + start + " to " + end + " with step " + step);
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (start + i * step);
        return of(v, n);
    }

    /** Uniform in [low, high) from the given generator. */
    public static Tensor uniform(Generator gen, double low, double high, int... shape) {
        Tensor t = allocate(DType.F32, shape);
        for (int i = 0; i < t.numel; i++) t.f[i] = (float) (low + (high - low) * gen.nextDouble());
        return t;
    }

    /** Uniform in [0, 1) from the given generator. */
    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, 0, 1, shape);
    }

    /** Normal with the given mean and standard deviation, from the given generator. */
    public static Tensor normal(Generator gen, double mean, double std, int... shape) {
        Tensor t = allocate(DType.F32, shape);
        for (int i = 0; i < t.numel; i++) t.f[i] = (float) (mean + std * gen.nextGaussian());
        return t;
    }

    /** Standard normal from the given generator. */
    public static Tensor randn(Generator gen, int... shape) {
        return normal(gen, 0, 1, shape);
    }

    /** Zeros of this tensor's type and shape. */
    public Tensor zerosLike() {
        return allocate(dtype, shape);
    }

    /** Ones of this tensor's type and shape. */
    public Tensor onesLike() {
        return full(dtype, 1.0, shape);
    }

    // ----------------------------------------------------------------------------------- shape

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    /** Size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shapes.dim("size", dim, shape.length)];
    }

    public int numel() {
        return numel;
    }

    public DType dtype() {
        return dtype;
    }

    int[] strides() {
        return strides;
    }

    /** True when the elements lie in row-major order without gaps (views may not). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    // ----------------------------------------------------------------------------------- values

    /**
     * The live float32 storage of a contiguous tensor that starts at offset 0 and covers its
     * whole storage: writes change this tensor. Optimizers update parameters through it; it
     * bypasses autograd, so use it only on leaves or under {@link GradMode#noGrad()}.
     */
    public float[] data() {
        if (!isWholeF32()) {
            throw new IllegalStateException("data(): tensor " + Shapes.format(shape)
                    + " is a view or not float32; call contiguous() or toFloatArray()");
        }
        return f;
    }

    /** The live float64 storage, under the same conditions as {@link #data()}. */
    public double[] data64() {
        if (dtype != DType.F64 || offset != 0 || !isContiguous() || d.length != numel) {
            throw new IllegalStateException("data64(): tensor " + Shapes.format(shape) + " is a view or not float64");
        }
        return d;
    }

    /** A row-major copy of the values as floats. */
    public float[] toFloatArray() {
        if (dtype == DType.F32 && isContiguous()) return java.util.Arrays.copyOfRange(f, offset, offset + numel);
        float[] out = new float[numel];
        StridedIndex it = new StridedIndex(shape, strides, offset);
        for (int i = 0; i < numel; i++, it.next()) out[i] = dtype == DType.F32 ? f[it.offset] : (float) d[it.offset];
        return out;
    }

    /** A row-major copy of the values as doubles. */
    public double[] toDoubleArray() {
        if (dtype == DType.F64 && isContiguous()) return java.util.Arrays.copyOfRange(d, offset, offset + numel);
        double[] out = new double[numel];
        StridedIndex it = new StridedIndex(shape, strides, offset);
        for (int i = 0; i < numel; i++, it.next()) out[i] = dtype == DType.F32 ? f[it.offset] : d[it.offset];
        return out;
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel != 1) throw new ShapeException("item: tensor of shape " + Shapes.format(shape) + " has " + numel + " elements, not 1");
        return dtype == DType.F32 ? f[offset] : d[offset];
    }

    /** The element at the given index (one index per dimension). */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new ShapeException("get: " + index.length + " indices for a tensor of rank " + shape.length);
        }
        int o = offset;
        for (int k = 0; k < index.length; k++) {
            if (index[k] < 0 || index[k] >= shape[k]) {
                throw new IndexOutOfBoundsException("get: index " + index[k] + " out of range for dimension " + k + " of size " + shape[k]);
            }
            o += index[k] * strides[k];
        }
        return dtype == DType.F32 ? f[o] : d[o];
    }

    /** A float32 copy (no gradient link). */
    public Tensor toF32() {
        return dtype == DType.F32 ? contiguousCopy() : of(toFloatArray(), shape);
    }

    /** A float64 copy (no gradient link). */
    public Tensor toF64() {
        return dtype == DType.F64 ? contiguousCopy() : of(toDoubleArray(), shape);
    }

    /** A contiguous copy that shares nothing with this tensor and records no graph. */
    public Tensor copy() {
        return contiguousCopy();
    }

    Tensor contiguousCopy() {
        return dtype == DType.F32 ? of(toFloatArray(), shape) : of(toDoubleArray(), shape);
    }

    // ----------------------------------------------------------------------------------- autograd

    /** Whether gradients flow to this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor as needing gradients (parameters, or inputs of a gradient check) and
     * returns it. Results of recorded operations require gradients automatically.
     */
    public Tensor requireGrad() {
        return setRequiresGrad(true);
    }

    /** Sets whether this leaf needs gradients; returns this. */
    public Tensor setRequiresGrad(boolean value) {
        if (node != null && !value) {
            throw new IllegalStateException("setRequiresGrad(false) on a non-leaf tensor (made by " + node.op() + "); use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before any backward pass reached it. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the accumulated gradient (null clears it). Optimizers and clipping use this. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new ShapeException("setGrad: gradient of shape " + Shapes.format(g.shape) + " for a tensor of shape " + Shapes.format(shape));
        }
        this.grad = g;
    }

    /**
     * Whether this tensor is float32 and covers its whole storage array in row-major order: the
     * condition for handing that array out ({@link #data()}) or back ({@link #release()}).
     */
    public boolean isWholeF32() {
        return dtype == DType.F32 && offset == 0 && isContiguous() && f.length == numel;
    }

    /** Whether the two tensors read and write the same storage (one is a view of the other, or both of a third). */
    public boolean sharesStorage(Tensor other) {
        return dtype == other.dtype && (dtype == DType.F32 ? f == other.f : d == other.d);
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        this.grad = null;
    }

    /** True when this tensor was made by a recorded operation rather than created directly. */
    public boolean isLeaf() {
        return node == null;
    }

    /** Name of the operation that produced this tensor, or null for a leaf. */
    public String gradFnName() {
        return node == null ? null : node.op();
    }

    /** The same values, cut from the graph: no gradient flows through the result. */
    public Tensor detach() {
        return new Tensor(this, shape, strides, offset);
    }

    /** A view over the same storage (no graph link). */
    Tensor(Tensor base, int[] shape, int[] strides, int offset) {
        this.dtype = base.dtype;
        this.f = base.f;
        this.d = base.d;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.numel = Shapes.numel(shape);
    }

    /** Back-propagates from a one-element tensor (dL/dL = 1). */
    public void backward() {
        if (numel != 1) {
            throw new ShapeException("backward: called on a tensor of shape " + Shapes.format(shape)
                    + "; pass the output gradient, or reduce to a scalar first (sum or mean)");
        }
        backward(onesLike());
    }

    /** Back-propagates the given gradient of some scalar with respect to this tensor. */
    public void backward(Tensor gradOutput) {
        Autograd.backward(this, gradOutput);
    }

    /**
     * Adds {@code g} into the accumulated gradient of this leaf. When {@code owned}, g's storage
     * belongs to nobody else, so the first gradient is kept as is instead of copied.
     */
    void accumulateGrad(Tensor g, boolean owned) {
        boolean whole = g.isContiguous() && g.offset == 0 && g.storageLength() == g.numel;
        Tensor value = whole ? g : g.contiguousCopy();
        if (value.dtype != dtype) value = dtype == DType.F32 ? value.toF32() : value.toF64();
        if (grad == null) {
            grad = value == g && !owned ? g.contiguousCopy() : value;
        } else {
            Ops.addInPlace(grad, value);
        }
    }

    int storageLength() {
        return dtype == DType.F32 ? f.length : d.length;
    }

    void setNode(Node n) {
        this.node = n;
        this.requiresGrad = true;
    }

    // ----------------------------------------------------------------------------------- arithmetic
    // Every method below is differentiable unless it says otherwise; shapes broadcast as in NumPy.

    public Tensor add(Tensor other) { return Ops.add(this, other); }
    public Tensor add(double value) { return Ops.add(this, Ops.constantLike(this, value)); }
    public Tensor sub(Tensor other) { return Ops.sub(this, other); }
    public Tensor sub(double value) { return Ops.sub(this, Ops.constantLike(this, value)); }
    public Tensor mul(Tensor other) { return Ops.mul(this, other); }
    public Tensor mul(double value) { return Ops.mul(this, Ops.constantLike(this, value)); }
    public Tensor div(Tensor other) { return Ops.div(this, other); }
    public Tensor div(double value) { return Ops.div(this, Ops.constantLike(this, value)); }
    public Tensor neg() { return Ops.neg(this); }
    public Tensor pow(Tensor exponent) { return Ops.pow(this, exponent); }
    public Tensor pow(double exponent) { return Ops.pow(this, Ops.constantLike(this, exponent)); }
    public Tensor exp() { return Ops.exp(this); }
    public Tensor log() { return Ops.log(this); }
    public Tensor sqrt() { return Ops.sqrt(this); }
    public Tensor abs() { return Ops.abs(this); }
    /** Clamps into [min, max]; pass Double.NaN for no bound on that side. */
    public Tensor clamp(double min, double max) { return Ops.clamp(this, min, max); }
    public Tensor maximum(Tensor other) { return Ops.maximum(this, other); }
    public Tensor minimum(Tensor other) { return Ops.minimum(this, other); }

    // comparisons: 1 where true, 0 where false; not differentiable
    public Tensor eq(Tensor other) { return Ops.compare("eq", dev.descent.tensor.kernel.BinaryOp.EQ, this, other); }
    public Tensor ne(Tensor other) { return Ops.compare("ne", dev.descent.tensor.kernel.BinaryOp.NE, this, other); }
    public Tensor lt(Tensor other) { return Ops.compare("lt", dev.descent.tensor.kernel.BinaryOp.LT, this, other); }
    public Tensor le(Tensor other) { return Ops.compare("le", dev.descent.tensor.kernel.BinaryOp.LE, this, other); }
    public Tensor gt(Tensor other) { return Ops.compare("gt", dev.descent.tensor.kernel.BinaryOp.GT, this, other); }
    public Tensor ge(Tensor other) { return Ops.compare("ge", dev.descent.tensor.kernel.BinaryOp.GE, this, other); }
    public Tensor gt(double v) { return gt(Ops.constantLike(this, v)); }
    public Tensor lt(double v) { return lt(Ops.constantLike(this, v)); }

    /** Elementwise {@code cond != 0 ? a : b}; differentiable in a and b. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Ops.where(cond, a, b); }

    // ----------------------------------------------------------------------------------- activations

    public Tensor relu() { return Ops.relu(this); }
    public Tensor sigmoid() { return Ops.sigmoid(this); }
    public Tensor tanh() { return Ops.tanh(this); }
    public Tensor erf() { return Ops.erf(this); }
    /** Exact GELU, {@code x / 2 * (1 + erf(x / sqrt 2))}, one fused elementwise op (forward and backward). */
    public Tensor gelu() { return Ops.gelu(this); }
    public Tensor softplus() { return Ops.softplus(this); }

    // ----------------------------------------------------------------------------------- reductions

    /** Sum of all elements (0-d). */
    public Tensor sum() { return Reductions.sum(this, new int[0], false); }
    /** Sum over the given dimensions. */
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }
    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[] {dim}, keepdim); }
    public Tensor mean() { return Reductions.mean(this, new int[0], false); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[] {dim}, keepdim); }
    /** Variance with the given Bessel correction (1: unbiased, torch's default; 0: population). */
    public Tensor var(int[] dims, int correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim); }
    /** Largest element (0-d). */
    public Tensor max() { return Reductions.maxAll(this); }
    public Tensor max(int dim, boolean keepdim) { return Reductions.max(this, dim, keepdim); }
    /** Index of the largest element along dim (first on ties), as float values; not differentiable. */
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim); }
    /** Indices of the largest element along dim, row-major over the other dimensions. */
    public int[] argmaxIndices(int dim) { return Reductions.argmaxIndices(this, dim); }
    public Tensor logsumexp(int dim, boolean keepdim) { return Reductions.logsumexp(this, dim, keepdim); }
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Reductions.logSoftmax(this, dim); }

    // ----------------------------------------------------------------------------------- shape

    /** Same elements in a new shape (one entry may be -1); a view when the layout allows. */
    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }
    /** Transpose of a 2-D tensor. */
    public Tensor t() {
        if (shape.length != 2) throw new ShapeException("t: needs a 2-D tensor, got " + Shapes.format(shape));
        return Views.transpose(this, 0, 1);
    }
    /** Elements start .. start+length-1 along dim (a view). */
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }
    /** Broadcasts size-1 dimensions to the given shape without copying (-1 keeps a size). */
    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }
    public Tensor contiguous() { return Views.contiguous(this); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    /** Merges dimensions startDim.. into one. */
    public Tensor flatten(int startDim) { return Views.flatten(this, startDim); }
    public static Tensor cat(java.util.List<Tensor> parts, int dim) { return Views.cat(parts, dim); }
    public static Tensor stack(java.util.List<Tensor> parts, int dim) { return Views.stack(parts, dim); }

    // ----------------------------------------------------------------------------------- linear algebra

    /** Matrix product: 2-D, batched with equal batch dimensions, or [..., m, k] x [k, n]. */
    public Tensor matmul(Tensor other) { return MatMul.matmul(this, other); }

    /**
     * Layer normalization of every run of the last {@code n} elements (the normalized shape
     * flattened), {@code (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance,
     * as one operation with its own backward pass (see {@link LayerNormOp}); {@code weight} and
     * {@code bias} hold n elements each, or are null.
     */
    public Tensor layerNorm(int n, Tensor weight, Tensor bias, double eps) {
        return LayerNormOp.apply(this, n, weight, bias, eps);
    }

    /**
     * Scaled dot-product attention {@code softmax(Q K^T / sqrt(d) + mask) V} with this tensor as
     * the query {@code [..., Tq, d]}, as PyTorch's {@code F.scaled_dot_product_attention}: one
     * operation with a fused softmax (see {@link Attention}). {@code key} is {@code [..., Tk, d]},
     * {@code value} {@code [..., Tk, dv]}; {@code mask} is null or an additive tensor (-infinity
     * hides a key) that broadcasts to {@code [..., Tq, Tk]}, not differentiated; {@code causal}
     * hides key j from query i when j &gt; i.
     */
    public Tensor scaledDotProductAttention(Tensor key, Tensor value, Tensor mask, boolean causal) {
        return Attention.scaledDotProduct(this, key, value, mask, causal, 1 / Math.sqrt(shape[shape.length - 1]));
    }

    // ----------------------------------------------------------------------------------- convolution and pooling
    // Layout NCHW: input [N, C, H, W], weight [out, C/groups, kH, kW], bias [out] or null.

    /** 2-D cross-correlation as torch.nn.functional.conv2d; {stride, padding, dilation} are {h, w} pairs. */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d(this, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code conv2d(weight, bias, stride, padding, dilation, groups).reluMaxPool2d(poolKernel,
     * poolStride, poolPadding)} as one operation: the same values and gradients, bit for bit,
     * without the convolution's and the ReLU's outputs as batch-sized arrays (fused for float32
     * 2 x 2 pooling of stride 2 without padding; other cases run the operations in sequence).
     */
    public Tensor conv2dReluMaxPool2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                                      int[] poolKernel, int[] poolStride, int[] poolPadding) {
        return Convolution.conv2dReluMaxPool(this, weight, bias, stride, padding, dilation, groups, poolKernel, poolStride, poolPadding,
                Convolution.DEFAULT_CHUNK);
    }

    /** Max pooling over [N, C, H, W] windows, as torch.nn.functional.max_pool2d. */
    public Tensor maxPool2d(int[] kernel, int[] stride, int[] padding) {
        return Pooling.maxPool2d(this, kernel, stride, padding);
    }

    /**
     * {@code relu().maxPool2d(kernel, stride, padding)} in one operation: the same values and
     * gradients, bit for bit, without the ReLU's intermediate array (fused for float32 2 x 2
     * windows of stride 2 without padding; other cases run the two operations).
     */
    public Tensor reluMaxPool2d(int[] kernel, int[] stride, int[] padding) {
        return ReluMaxPool.reluMaxPool2d(this, kernel, stride, padding);
    }

    /**
     * Cross-entropy of these float32 logits {@code [N, C]} against class indices, mean over the
     * rows ({@code mean}) or their sum, as one fused operation: PyTorch's {@code cross_entropy}
     * without weights, smoothing or ignored targets. The loss has the bits of
     * {@code logSoftmax(1)} followed by the negative log-likelihood.
     */
    public Tensor softmaxCrossEntropy(int[] targets, boolean mean) {
        if (dtype == DType.F32 && shape.length == 2) return SoftmaxCrossEntropy.forward(this, targets, mean);
        // Float64 (gradient checks) or another rank: the composed expression.
        if (shape.length != 2 || targets.length != shape[0]) {
            throw new ShapeException("softmaxCrossEntropy: needs logits [N, C] and N targets, got " + Shapes.format(shape)
                    + " and " + targets.length + " targets");
        }
        double[] onehot = new double[shape[0] * shape[1]];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= shape[1]) {
                throw new IndexOutOfBoundsException("softmaxCrossEntropy: target " + targets[i] + " at row " + i + " is not in [0, " + shape[1] + ")");
            }
            onehot[i * shape[1] + targets[i]] = 1;
        }
        Tensor hot = Tensor.of(onehot, shape[0], shape[1]);
        Tensor perRow = logSoftmax(1).mul(dtype == DType.F64 ? hot : hot.toF32()).sum(1, false).neg();
        return mean ? perRow.mean() : perRow.sum();
    }

    /**
     * {@code this.matmul(weight.t()).add(bias)} (bias may be null), PyTorch's {@code F.linear}:
     * for a float32 [N, in] batch one fused operation with the same bits, otherwise the two.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        if (FusedLinear.applies(this, weight, bias)) return FusedLinear.linear(this, weight, bias);
        Tensor y = matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    /** Average pooling (padding counted in the divisor, PyTorch's default), as torch.nn.functional.avg_pool2d. */
    public Tensor avgPool2d(int[] kernel, int[] stride, int[] padding) {
        return Pooling.avgPool2d(this, kernel, stride, padding);
    }

    // ----------------------------------------------------------------------------------- indexing
    // Index tensors hold whole numbers in a float tensor (Descent has no integer dtype).

    /** out[i][j] = this[index[i][j]][j] for dim 0 (and likewise for other dims), as torch.gather. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    /** The slices at the given positions along dim, as torch.index_select. */
    public Tensor indexSelect(int dim, int[] index) { return Indexing.indexSelect(this, dim, index); }
    /** A copy of this with src added at index positions along dim, as torch.Tensor.scatter_add. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, dim, index, src); }
    /** [n, numClasses] float32 rows with a 1 at each label. */
    public static Tensor oneHot(int[] labels, int numClasses) { return Indexing.oneHot(labels, numClasses); }

    // ----------------------------------------------------------------------------------- display

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Shapes.format(shape));
        if (dtype != DType.F32) sb.append(", dtype=").append(dtype);
        if (node != null) sb.append(", grad_fn=").append(node.op());
        else if (requiresGrad) sb.append(", requires_grad");
        double[] v = toDoubleArray();
        sb.append(", values=[");
        int show = Math.min(v.length, 8);
        for (int i = 0; i < show; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dtype == DType.F32 ? Float.toString((float) v[i]) : Double.toString(v[i]));
        }
        if (v.length > show) sb.append(", ...");
        return sb.append("])").toString();
    }
}
