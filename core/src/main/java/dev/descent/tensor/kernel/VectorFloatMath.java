package dev.descent.tensor.kernel;

import static dev.descent.tensor.kernel.FloatMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath} lane by lane: every method here performs the operations of its scalar twin in
 * the same order (lanewise FMA is {@link Math#fma}, integer lanes hold the same bit patterns), so
 * each lane equals the scalar result bit for bit. Where the scalar code returns early for a
 * special input, the vector code computes the ordinary path on every lane and then selects the
 * special result for those lanes, which yields the same value.
 *
 * <p>Written for the JIT: apart from the exp and log cores, no helper methods. The Vector API's
 * own methods are always inlined, but ours are inlined only while the compiled loop stays under
 * C2's node budget, and a vector passed to a method that was not inlined is boxed on the heap
 * (measured: tanh ran 10 times slower than exp with small helpers for copySign and the NaN
 * select). For the same reason the composite functions call exp first, while the budget is fresh.
 */
final class VectorFloatMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorFloatMath() {}

    static FloatVector exp(FloatVector x) {
        return expCore(x).blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** exp without the NaN select: the composite functions select NaN lanes themselves. */
    private static FloatVector expCore(FloatVector x) {
        FloatVector xc = x.min(EXP_HI).max(EXP_LO);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector kf = t.sub(ROUNDER);
        IntVector k = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
        FloatVector r = kf.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = kf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector q = r.fma(EXP_Q4, EXP_Q3).fma(r, FloatVector.broadcast(S, EXP_Q2))
                .fma(r, FloatVector.broadcast(S, EXP_Q1)).fma(r, FloatVector.broadcast(S, EXP_Q0));
        FloatVector p = r.mul(r).fma(q, r).add(1f);
        // 2^k as 2^k1 * 2^k2, each from the exponent bits (k + 127) << 23
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = (FloatVector) k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    static FloatVector log(FloatVector x) {
        FloatVector y = logCore(x);
        // the special inputs, as in the scalar twin (the conditions are disjoint)
        y = y.blend(FloatVector.broadcast(S, Float.NaN), x.lt(0f));
        y = y.blend(FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), x.eq(0f));
        y = y.blend(FloatVector.broadcast(S, Float.POSITIVE_INFINITY), x.eq(Float.POSITIVE_INFINITY));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** log for positive finite x (subnormals included); softplus needs only this part. */
    private static FloatVector logCore(FloatVector x) {
        VectorMask<Float> sub = x.lt(MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_POW_23), sub);
        FloatVector adjust = FloatVector.zero(S).blend(FloatVector.broadcast(S, 23f), sub);
        IntVector ix = ((IntVector) xs.reinterpretAsInts()).sub(SQRT_HALF_BITS);
        IntVector k = ix.lanewise(VectorOperators.ASHR, 23);
        FloatVector m = (FloatVector) ix.and(MANTISSA_MASK).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector kf = ((FloatVector) k.convert(VectorOperators.I2F, 0)).sub(adjust);
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector rr = z.mul(z.fma(LOG_R4, LOG_R3).fma(z, FloatVector.broadcast(S, LOG_R2)).fma(z, FloatVector.broadcast(S, LOG_R1)));
        FloatVector log1pf = s.neg().fma(f.sub(rr), f);
        return kf.fma(FloatVector.broadcast(S, LN2_HI), kf.fma(FloatVector.broadcast(S, LN2_LO), log1pf));
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector e = expCore(a.min(TANH_CLAMP).mul(2f));
        FloatVector large = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
        FloatVector z = a.mul(a);
        FloatVector g = z.fma(TANH_G5, TANH_G4).fma(z, FloatVector.broadcast(S, TANH_G3)).fma(z, FloatVector.broadcast(S, TANH_G2))
                .fma(z, FloatVector.broadcast(S, TANH_G1)).fma(z, FloatVector.broadcast(S, TANH_G0));
        FloatVector small = a.mul(z).fma(g, a);
        FloatVector t = large.blend(small, a.lt(TANH_SMALL));
        // copySign(t, x): t is never negative, so OR-ing in the sign bit of x suffices
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x80000000);
        FloatVector y = (FloatVector) ((IntVector) t.reinterpretAsInts()).or(sign).reinterpretAsFloats();
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = a.min(ERF_CLAMP).sub(ERFC_CENTER);
        FloatVector p = t.fma(ERFC_P8, ERFC_P7).fma(t, FloatVector.broadcast(S, ERFC_P6)).fma(t, FloatVector.broadcast(S, ERFC_P5));
        p = p.fma(t, FloatVector.broadcast(S, ERFC_P4)).fma(t, FloatVector.broadcast(S, ERFC_P3)).fma(t, FloatVector.broadcast(S, ERFC_P2));
        p = p.fma(t, FloatVector.broadcast(S, ERFC_P1)).fma(t, FloatVector.broadcast(S, ERFC_P0));
        FloatVector large = FloatVector.broadcast(S, 1f).sub(expCore(p));
        FloatVector z = a.mul(a);
        FloatVector h = z.fma(ERF_H6, ERF_H5).fma(z, FloatVector.broadcast(S, ERF_H4)).fma(z, FloatVector.broadcast(S, ERF_H3));
        h = h.fma(z, FloatVector.broadcast(S, ERF_H2)).fma(z, FloatVector.broadcast(S, ERF_H1)).fma(z, FloatVector.broadcast(S, ERF_H0));
        FloatVector small = a.fma(h, a);
        FloatVector r = large.blend(small, a.lt(ERF_SMALL));
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x80000000);
        FloatVector y = (FloatVector) ((IntVector) r.reinterpretAsInts()).or(sign).reinterpretAsFloats();
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(FRAC_1_SQRT2)).add(1f));
    }

    static FloatVector geluGrad(FloatVector x) {
        // exp first, while C2's budget is fresh (see the class comment). One loop with exp and
        // erf measured faster than a block-wise split into an exp loop and an erf loop through a
        // scratch block (JFR shares of the transformer step under load: 4.9% against 8.6%).
        FloatVector e = exp(x.mul(x).mul(-0.5f));
        FloatVector cdf = erf(x.mul(FRAC_1_SQRT2)).add(1f).mul(0.5f);
        return cdf.add(x.mul(e.mul(FRAC_1_SQRT_2PI)));
    }

    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = expCore(x.abs().neg());
        FloatVector q = e.div(e.add(1f));
        FloatVector y = FloatVector.broadcast(S, 1f).sub(q).blend(q, x.lt(0f));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    static FloatVector softplus(FloatVector x) {
        FloatVector e = expCore(x.abs().neg());
        FloatVector w = e.add(1f);
        // w is in [1, 2], where log has no special cases: logCore is the scalar log's result
        FloatVector lp = logCore(w).add(e.sub(w.sub(1f)).div(w));
        // x itself above 20 without a blend: see FloatMath.softplusOfExp
        FloatVector y = x.max(0f).add(lp);
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }
}
