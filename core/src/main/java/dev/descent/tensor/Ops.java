package dev.descent.tensor;

import dev.descent.tensor.kernel.BinaryOp;
import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.UnaryOp;
import java.util.Arrays;

/**
 * Elementwise primitives with their derivative rules, and the plumbing every primitive shares:
 * recording a node, broadcasting, and reducing a broadcast gradient back to an input's shape.
 */
final class Ops {
    private Ops() {}

    /** Attaches a node to {@code out} when recording is on and some input needs a gradient. */
    static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) return out;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                out.setNode(new Node(op, inputs, backward));
                return out;
            }
        }
        return out;
    }

    static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(op + ": mixed element types " + a.dtype + " and " + b.dtype);
        }
    }

    // -------------------------------------------------------------------------- unary kernels

    /** Applies a unary function elementwise, without recording. */
    static Tensor map(UnaryOp op, Tensor x) {
        Tensor out = Tensor.allocateOverwritten(x.dtype, x.shape);
        if (x.dtype == DType.F32) {
            Tensor src = x.isContiguous() ? x : x.contiguousCopy();
            Kernels.unary(op, src.f, src.offset, out.f, 0, x.numel);
        } else {
            StridedIndex it = new StridedIndex(x.shape, x.strides, x.offset);
            for (int i = 0; i < x.numel; i++, it.next()) out.d[i] = op.apply(x.d[it.offset]);
        }
        return out;
    }

    static Tensor unary(String name, UnaryOp op, Tensor x, Node.Backward backward) {
        return record(map(op, x), name, backward, x);
    }

    // -------------------------------------------------------------------------- binary kernels

    /** Applies a binary function elementwise with broadcasting, without recording. */
    static Tensor zip(String name, BinaryOp op, Tensor a, Tensor b) {
        sameDType(name, a, b);
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shapes.broadcast(name, a.shape, b.shape);
        Tensor out = Tensor.allocateOverwritten(a.dtype, shape); // every path below writes all n
        int n = out.numel;
        if (n == 0) return out;
        if (a.dtype == DType.F32) {
            boolean aFull = Arrays.equals(a.shape, shape) && a.isContiguous();
            boolean bFull = Arrays.equals(b.shape, shape) && b.isContiguous();
            if (aFull && bFull) {
                Kernels.binary(op, a.f, a.offset, b.f, b.offset, out.f, 0, n);
                return out;
            }
            if (aFull && b.numel == 1) {
                Kernels.binaryScalar(op, a.f, a.offset, b.f[b.offset], true, out.f, 0, n);
                return out;
            }
            if (bFull && a.numel == 1) {
                Kernels.binaryScalar(op, b.f, b.offset, a.f[a.offset], false, out.f, 0, n);
                return out;
            }
            // Row broadcast (bias add): the smaller operand is one contiguous trailing block.
            int inner = trailingBlock(b, shape);
            if (aFull && inner > 0) {
                Kernels.binaryRows(op, a.f, a.offset, b.f, b.offset, out.f, 0, n / inner, inner);
                return out;
            }
        }
        Tensor ea = broadcastView(a, shape), eb = broadcastView(b, shape);
        StridedIndex ia = new StridedIndex(ea.shape, ea.strides, ea.offset);
        StridedIndex ib = new StridedIndex(eb.shape, eb.strides, eb.offset);
        if (a.dtype == DType.F32) {
            for (int i = 0; i < n; i++, ia.next(), ib.next()) out.f[i] = op.apply(a.f[ia.offset], b.f[ib.offset]);
        } else {
            for (int i = 0; i < n; i++, ia.next(), ib.next()) out.d[i] = op.apply(a.d[ia.offset], b.d[ib.offset]);
        }
        return out;
    }

    /**
     * If {@code t} is contiguous and, once broadcast to {@code shape}, repeats one block of its
     * own elements that matches the trailing dimensions of {@code shape}, returns that block's
     * length; otherwise 0.
     */
    private static int trailingBlock(Tensor t, int[] shape) {
        if (!t.isContiguous() || t.numel <= 1) return 0;
        int lead = shape.length - t.shape.length;
        int block = 1;
        boolean inTail = true;
        for (int i = shape.length - 1; i >= 0; i--) {
            int ts = i >= lead ? t.shape[i - lead] : 1;
            if (inTail && ts == shape[i]) {
                block *= ts;
            } else {
                inTail = false;
                if (ts != 1) return 0;
            }
        }
        return block == t.numel ? block : 0;
    }

    /** A view of {@code t} broadcast to {@code shape} (stride 0 on repeated dimensions). */
    static Tensor broadcastView(Tensor t, int[] shape) {
        if (Arrays.equals(t.shape, shape)) return t;
        int lead = shape.length - t.shape.length;
        int[] strides = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (i < lead) continue;
            int ts = t.shape[i - lead];
            strides[i] = ts == 1 && shape[i] != 1 ? 0 : t.strides[i - lead];
        }
        return new Tensor(t, shape.clone(), strides, t.offset);
    }

    /** Sums a broadcast gradient back down to {@code shape}. */
    static Tensor sumToShape(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) return g;
        int lead = g.shape.length - shape.length;
        int[] dims = new int[g.shape.length];
        int count = 0;
        for (int i = 0; i < g.shape.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && g.shape[i] != 1)) dims[count++] = i;
        }
        Tensor s = Reductions.sumRaw(g, Arrays.copyOf(dims, count), true);
        return Views.reshapeRaw(s, shape);
    }

    // -------------------------------------------------------------------------- arithmetic

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = zip("add", BinaryOp.ADD, a, b);
        return record(out, "add", g -> new Tensor[] {sumToShape(g, a.shape), sumToShape(g, b.shape)}, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = zip("sub", BinaryOp.SUB, a, b);
        return record(out, "sub", g -> new Tensor[] {sumToShape(g, a.shape), sumToShape(neg(g), b.shape)}, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = zip("mul", BinaryOp.MUL, a, b);
        return record(out, "mul", g -> new Tensor[] {
                a.requiresGrad() ? sumToShape(mul(g, b), a.shape) : null,
                b.requiresGrad() ? sumToShape(mul(g, a), b.shape) : null}, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = zip("div", BinaryOp.DIV, a, b);
        return record(out, "div", g -> new Tensor[] {
                a.requiresGrad() ? sumToShape(div(g, b), a.shape) : null,
                // d(a/b)/db = -a/b^2 = -out/b
                b.requiresGrad() ? sumToShape(neg(div(mul(g, out), b)), b.shape) : null}, a, b);
    }

    static Tensor neg(Tensor x) {
        return unary("neg", UnaryOp.NEG, x, g -> new Tensor[] {neg(g)});
    }

    /** x^y elementwise with broadcasting. */
    static Tensor pow(Tensor x, Tensor y) {
        Tensor out = zip("pow", BinaryOp.POW, x, y);
        return record(out, "pow", g -> new Tensor[] {
                // d/dx = y x^(y-1); written as y * x^(y-1) so that x = 0 with y >= 1 stays finite
                x.requiresGrad() ? sumToShape(mul(g, mul(y, pow(x, sub(y, constantLike(y, 1))))), x.shape) : null,
                // d/dy = x^y ln x
                y.requiresGrad() ? sumToShape(mul(g, mul(out, log(x))), y.shape) : null}, x, y);
    }

    static Tensor exp(Tensor x) {
        Tensor[] self = new Tensor[1];
        self[0] = unary("exp", UnaryOp.EXP, x, g -> new Tensor[] {mul(g, self[0].detach())});
        return self[0];
    }

    static Tensor log(Tensor x) {
        return unary("log", UnaryOp.LOG, x, g -> new Tensor[] {div(g, x)});
    }

    static Tensor sqrt(Tensor x) {
        Tensor[] self = new Tensor[1];
        self[0] = unary("sqrt", UnaryOp.SQRT, x, g -> new Tensor[] {div(g, mul(self[0].detach(), constantLike(x, 2)))});
        return self[0];
    }

    static Tensor abs(Tensor x) {
        return unary("abs", UnaryOp.ABS, x, g -> new Tensor[] {mul(g, map(UnaryOp.SIGN, x))});
    }

    static Tensor relu(Tensor x) {
        return unary("relu", UnaryOp.RELU, x, g -> new Tensor[] {reluBackward(x, g)});
    }

    /**
     * dx = x &lt;= 0 ? 0 : g, PyTorch's threshold_backward: gradient 0 at x == 0, and a NaN x
     * passes g on. One fused pass; g * step(x) took a second pass and a temporary.
     */
    static Tensor reluBackward(Tensor x, Tensor g) {
        Tensor out = Tensor.allocateOverwritten(x.dtype, x.shape);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
        if (x.dtype == DType.F32) {
            Kernels.reluBackward(xc.f, xc.offset, gc.f, gc.offset, out.f, 0, x.numel);
        } else {
            for (int i = 0; i < x.numel; i++) out.d[i] = xc.d[xc.offset + i] <= 0 ? 0 : gc.d[gc.offset + i];
        }
        return out;
    }

    static Tensor sigmoid(Tensor x) {
        Tensor[] self = new Tensor[1];
        self[0] = unary("sigmoid", UnaryOp.SIGMOID, x, g -> {
            Tensor s = self[0].detach();
            return new Tensor[] {mul(g, mul(s, sub(constantLike(s, 1), s)))};
        });
        return self[0];
    }

    static Tensor tanh(Tensor x) {
        Tensor[] self = new Tensor[1];
        self[0] = unary("tanh", UnaryOp.TANH, x, g -> {
            Tensor t = self[0].detach();
            return new Tensor[] {mul(g, sub(constantLike(t, 1), mul(t, t)))};
        });
        return self[0];
    }

    static Tensor erf(Tensor x) {
        // d erf(x)/dx = 2/sqrt(pi) e^(-x^2)
        return unary("erf", UnaryOp.ERF, x, g -> new Tensor[] {
                mul(g, mul(constantLike(x, 2.0 / Math.sqrt(Math.PI)), exp(neg(mul(x, x)))))});
    }

    static Tensor gelu(Tensor x) {
        // one pass forward, two backward (the derivative, then times g), where the composed
        // x / 2 * (1 + erf(x / sqrt 2)) ran five forward and nine backward
        return unary("gelu", UnaryOp.GELU, x, g -> new Tensor[] {mul(g, map(UnaryOp.GELU_GRAD, x))});
    }

    static Tensor softplus(Tensor x) {
        // d softplus/dx = sigmoid(x) (and exactly 1 above the linear threshold 20)
        return unary("softplus", UnaryOp.SOFTPLUS, x, g -> new Tensor[] {mul(g, map(UnaryOp.SIGMOID, x))});
    }

    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = zip("maximum", BinaryOp.MAX, a, b);
        // Ties send the gradient half to each side, as PyTorch does.
        return record(out, "maximum", g -> {
            Tensor gt = zip("maximum", BinaryOp.GT, a, b), eq = zip("maximum", BinaryOp.EQ, a, b);
            Tensor wa = add(gt, mul(eq, constantLike(eq, 0.5)));
            Tensor wb = sub(constantLike(wa, 1), wa);
            return new Tensor[] {sumToShape(mul(g, wa), a.shape), sumToShape(mul(g, wb), b.shape)};
        }, a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = zip("minimum", BinaryOp.MIN, a, b);
        return record(out, "minimum", g -> {
            Tensor lt = zip("minimum", BinaryOp.LT, a, b), eq = zip("minimum", BinaryOp.EQ, a, b);
            Tensor wa = add(lt, mul(eq, constantLike(eq, 0.5)));
            Tensor wb = sub(constantLike(wa, 1), wa);
            return new Tensor[] {sumToShape(mul(g, wa), a.shape), sumToShape(mul(g, wb), b.shape)};
        }, a, b);
    }

    /** Clamps into [min, max] (either may be NaN to mean no bound); gradient 1 inside, 0 outside. */
    static Tensor clamp(Tensor x, double min, double max) {
        Tensor out = x;
        Tensor lo = Double.isNaN(min) ? null : constantLike(x, min), hi = Double.isNaN(max) ? null : constantLike(x, max);
        Tensor v = x;
        if (lo != null) v = zip("clamp", BinaryOp.MAX, v, lo);
        if (hi != null) v = zip("clamp", BinaryOp.MIN, v, hi);
        if (v == out) v = x.contiguousCopy();
        return record(v, "clamp", g -> {
            Tensor inside = x.onesLike();
            if (lo != null) inside = mul(inside, zip("clamp", BinaryOp.GE, x, lo));
            if (hi != null) inside = mul(inside, zip("clamp", BinaryOp.LE, x, hi));
            return new Tensor[] {mul(g, inside)};
        }, x);
    }

    /** Comparison producing 0/1 values of the same element type; not differentiable. */
    static Tensor compare(String name, BinaryOp op, Tensor a, Tensor b) {
        return zip(name, op, a, b);
    }

    /** cond != 0 ? a : b, with broadcasting of all three. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        Tensor mask = zip("where", BinaryOp.NE, broadcastView(cond, shape).contiguousCopy(), constantLike(cond, 0));
        Tensor notMask = sub(constantLike(mask, 1), mask);
        // Select without recording (0 * inf would be NaN with arithmetic), then attach the rule.
        Tensor ea = broadcastView(a, shape), eb = broadcastView(b, shape);
        Tensor out = Tensor.allocate(a.dtype, shape);
        StridedIndex ia = new StridedIndex(ea.shape, ea.strides, ea.offset), ib = new StridedIndex(eb.shape, eb.strides, eb.offset);
        StridedIndex im = new StridedIndex(mask.shape, mask.strides, mask.offset);
        for (int i = 0; i < out.numel; i++, ia.next(), ib.next(), im.next()) {
            boolean take = (mask.dtype == DType.F32 ? mask.f[im.offset] : mask.d[im.offset]) != 0;
            if (out.dtype == DType.F32) out.f[i] = take ? a.f[ia.offset] : b.f[ib.offset];
            else out.d[i] = take ? a.d[ia.offset] : b.d[ib.offset];
        }
        Tensor maskT = mask.dtype == a.dtype ? mask : (a.dtype == DType.F32 ? mask.toF32() : mask.toF64());
        Tensor notMaskT = notMask.dtype == a.dtype ? notMask : (a.dtype == DType.F32 ? notMask.toF32() : notMask.toF64());
        return record(out, "where", g -> new Tensor[] {
                null,
                a.requiresGrad() ? sumToShape(mul(g, maskT), a.shape) : null,
                b.requiresGrad() ? sumToShape(mul(g, notMaskT), b.shape) : null}, cond, a, b);
    }

    /** acc += x for contiguous tensors of equal shape (gradient accumulation). */
    static void addInPlace(Tensor acc, Tensor x) {
        if (acc.dtype == DType.F32) {
            Kernels.addInPlace(acc.f, acc.offset, x.f, x.offset, acc.numel);
        } else {
            for (int i = 0; i < acc.numel; i++) acc.d[acc.offset + i] += x.d[x.offset + i];
        }
    }

    /** A 0-d constant of x's element type (broadcasts against anything). */
    static Tensor constantLike(Tensor x, double value) {
        return x.dtype == DType.F32 ? Tensor.scalar((float) value) : Tensor.scalar(value);
    }
}
