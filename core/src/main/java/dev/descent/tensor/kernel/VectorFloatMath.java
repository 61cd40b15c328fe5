package dev.descent.tensor.kernel;

import static dev.descent.tensor.kernel.FloatMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link FloatMath} lane by lane: every method here performs the operations of its scalar twin in
 * the same order (lanewise FMA is {@link Math#fma}, integer lanes hold the same bit patterns), so
 * each lane equals the scalar result bit for bit. Where the scalar code returns early for a
 * special input, the vector code computes the ordinary path on every lane and then selects the
 * special result for those lanes, which yields the same value.
 */
final class VectorFloatMath {
    private VectorFloatMath() {}

    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.min(EXP_HI).max(EXP_LO);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector kf = t.sub(ROUNDER);
        IntVector k = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
        FloatVector r = kf.fma(bc(kf, -LN2_HI), xc);
        r = kf.fma(bc(kf, -LN2_LO), r);
        FloatVector q = r.fma(EXP_Q4, EXP_Q3).fma(r, bc(r, EXP_Q2)).fma(r, bc(r, EXP_Q1)).fma(r, bc(r, EXP_Q0));
        FloatVector p = r.mul(r).fma(q, r).add(1f);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector y = p.mul(pow2(k1)).mul(pow2(k2));
        return keepNaN(x, y);
    }

    private static FloatVector pow2(IntVector k) {
        return (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** Broadcast in the species of v. */
    private static FloatVector bc(FloatVector v, float c) {
        return v.broadcast(c);
    }

    /** y, except x itself in lanes where x is NaN (the scalar twins return x there). */
    private static FloatVector keepNaN(FloatVector x, FloatVector y) {
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.lt(MIN_NORMAL);
        FloatVector zero = x.broadcast(0f);
        FloatVector xs = x.blend(x.mul(TWO_POW_23), sub);
        FloatVector adjust = zero.blend(x.broadcast(23f), sub);
        IntVector ix = ((IntVector) xs.reinterpretAsInts()).sub(SQRT_HALF_BITS);
        IntVector k = ix.lanewise(VectorOperators.ASHR, 23);
        FloatVector m = (FloatVector) ix.and(MANTISSA_MASK).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector kf = ((FloatVector) k.convert(VectorOperators.I2F, 0)).sub(adjust);
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector rr = z.mul(z.fma(LOG_R4, LOG_R3).fma(z, bc(z, LOG_R2)).fma(z, bc(z, LOG_R1)));
        FloatVector log1pf = s.neg().fma(f.sub(rr), f);
        FloatVector y = kf.fma(bc(kf, LN2_HI), kf.fma(bc(kf, LN2_LO), log1pf));
        // the special inputs, as in the scalar twin (the conditions are disjoint)
        y = y.blend(x.broadcast(Float.NaN), x.lt(0f));
        y = y.blend(x.broadcast(Float.NEGATIVE_INFINITY), x.eq(0f));
        y = y.blend(x.broadcast(Float.POSITIVE_INFINITY), x.eq(Float.POSITIVE_INFINITY));
        return keepNaN(x, y);
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector g = z.fma(TANH_G5, TANH_G4).fma(z, bc(z, TANH_G3)).fma(z, bc(z, TANH_G2))
                .fma(z, bc(z, TANH_G1)).fma(z, bc(z, TANH_G0));
        FloatVector small = a.mul(z).fma(g, a);
        FloatVector e = exp(a.min(TANH_CLAMP).mul(2f));
        FloatVector large = x.broadcast(1f).sub(x.broadcast(2f).div(e.add(1f)));
        return keepNaN(x, copySign(large.blend(small, a.lt(TANH_SMALL)), x));
    }

    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector h = z.fma(ERF_H5, ERF_H4).fma(z, bc(z, ERF_H3)).fma(z, bc(z, ERF_H2))
                .fma(z, bc(z, ERF_H1)).fma(z, bc(z, ERF_H0));
        FloatVector small = a.mul(h);
        FloatVector t = a.min(ERF_CLAMP).sub(ERFC_CENTER);
        FloatVector p = t.fma(ERFC_P8, ERFC_P7).fma(t, bc(t, ERFC_P6)).fma(t, bc(t, ERFC_P5));
        p = p.fma(t, bc(t, ERFC_P4)).fma(t, bc(t, ERFC_P3)).fma(t, bc(t, ERFC_P2));
        p = p.fma(t, bc(t, ERFC_P1)).fma(t, bc(t, ERFC_P0));
        FloatVector large = x.broadcast(1f).sub(exp(p));
        return keepNaN(x, copySign(large.blend(small, a.lt(ERF_SMALL)), x));
    }

    /** copySign for t that is never negative: OR in the sign bit of x. */
    private static FloatVector copySign(FloatVector t, FloatVector x) {
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x80000000);
        return (FloatVector) ((IntVector) t.reinterpretAsInts()).or(sign).reinterpretAsFloats();
    }

    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector q = e.div(e.add(1f));
        FloatVector y = x.broadcast(1f).sub(q).blend(q, x.lt(0f));
        return keepNaN(x, y);
    }

    static FloatVector softplus(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector w = e.add(1f);
        FloatVector lp = log(w).add(e.sub(w.sub(1f)).div(w));
        FloatVector y = x.max(0f).add(lp);
        y = y.blend(x, x.compare(VectorOperators.GT, SOFTPLUS_LINEAR));
        return keepNaN(x, y);
    }
}
