package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RecurrentGates} lane by lane: every pass performs its scalar twin's operations in the
 * same order on each lane ({@link VectorFloatMath} is {@link FloatMath} lanewise), and hands the
 * elements past the last whole vector to the scalar pass, so each element gets the same bits.
 * One transcendental function per loop, each pass its own method, for the reason
 * {@link VectorFloatMath} gives (C2 inlines the math only while a loop stays within its budget).
 */
final class VectorRecurrentGates {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorRecurrentGates() {}

    static void lstmForward(int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh,
                            float[] act, float[] c, int co, float[] cAfter, int cao, float[] hOut, int ho) {
        sigmoidGates(2 * h, xw, xo, bi, 0, hw, wo, bh, 0, act, xo);
        tanhGates(h, xw, xo + 2 * h, bi, 2 * h, hw, wo + 2 * h, bh, 2 * h, act, xo + 2 * h);
        sigmoidGates(h, xw, xo + 3 * h, bi, 3 * h, hw, wo + 3 * h, bh, 3 * h, act, xo + 3 * h);
        lstmCell(h, act, xo, c, co, cAfter, cao);
        lstmHidden(h, act, xo, cAfter, cao, hOut, ho);
    }

    static void gruForward(int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh,
                           float[] act, float[] hn, int hno, float[] state, int so) {
        sigmoidGates(2 * h, xw, xo, bi, 0, hw, wo, bh, 0, act, xo);
        gruCandidate(h, xw, xo, bi, hw, wo, bh, act, hn, hno, state, so);
    }

    static void sigmoidGates(int n, float[] xw, int xo, float[] bi, int bio, float[] hw, int wo, float[] bh, int bho, float[] act, int ao) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector x = FloatVector.fromArray(F, xw, xo + j).add(FloatVector.fromArray(F, bi, bio + j));
            FloatVector pre = x.add(FloatVector.fromArray(F, hw, wo + j).add(FloatVector.fromArray(F, bh, bho + j)));
            VectorFloatMath.sigmoid(pre).intoArray(act, ao + j);
        }
        RecurrentGates.sigmoidGates(j, n, xw, xo, bi, bio, hw, wo, bh, bho, act, ao);
    }

    static void tanhGates(int n, float[] xw, int xo, float[] bi, int bio, float[] hw, int wo, float[] bh, int bho, float[] act, int ao) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector x = FloatVector.fromArray(F, xw, xo + j).add(FloatVector.fromArray(F, bi, bio + j));
            FloatVector pre = x.add(FloatVector.fromArray(F, hw, wo + j).add(FloatVector.fromArray(F, bh, bho + j)));
            VectorFloatMath.tanh(pre).intoArray(act, ao + j);
        }
        RecurrentGates.tanhGates(j, n, xw, xo, bi, bio, hw, wo, bh, bho, act, ao);
    }

    private static void lstmCell(int h, float[] act, int ao, float[] c, int co, float[] cAfter, int cao) {
        int j = 0;
        for (int bound = F.loopBound(h); j < bound; j += F.length()) {
            FloatVector f = FloatVector.fromArray(F, act, ao + h + j), i = FloatVector.fromArray(F, act, ao + j);
            FloatVector g = FloatVector.fromArray(F, act, ao + 2 * h + j);
            FloatVector next = f.mul(FloatVector.fromArray(F, c, co + j)).add(i.mul(g));
            next.intoArray(c, co + j);
            next.intoArray(cAfter, cao + j);
        }
        RecurrentGates.lstmCell(j, h, h, act, ao, c, co, cAfter, cao);
    }

    private static void lstmHidden(int h, float[] act, int ao, float[] cAfter, int cao, float[] hOut, int ho) {
        int j = 0;
        for (int bound = F.loopBound(h); j < bound; j += F.length()) {
            FloatVector tc = VectorFloatMath.tanh(FloatVector.fromArray(F, cAfter, cao + j));
            FloatVector.fromArray(F, act, ao + 3 * h + j).mul(tc).intoArray(hOut, ho + j);
        }
        RecurrentGates.lstmHidden(j, h, h, act, ao, cAfter, cao, hOut, ho);
    }

    static void lstmBackward(int h, float[] act, int ao, float[] cAfter, int cao, float[] cPrev, int cpo,
                             float[] dh, int dho, float[] dc, int dco, float[] dIn) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int j = 0;
        for (int bound = F.loopBound(h); j < bound; j += F.length()) {
            FloatVector tc = VectorFloatMath.tanh(FloatVector.fromArray(F, cAfter, cao + j));
            FloatVector i = FloatVector.fromArray(F, act, ao + j), f = FloatVector.fromArray(F, act, ao + h + j);
            FloatVector g = FloatVector.fromArray(F, act, ao + 2 * h + j), o = FloatVector.fromArray(F, act, ao + 3 * h + j);
            FloatVector d = FloatVector.fromArray(F, dh, dho + j);
            FloatVector dcc = FloatVector.fromArray(F, dc, dco + j).add(d.mul(o).mul(one.sub(tc.mul(tc))));
            dcc.mul(g).mul(i).mul(one.sub(i)).intoArray(dIn, ao + j);
            dcc.mul(FloatVector.fromArray(F, cPrev, cpo + j)).mul(f).mul(one.sub(f)).intoArray(dIn, ao + h + j);
            dcc.mul(i).mul(one.sub(g.mul(g))).intoArray(dIn, ao + 2 * h + j);
            d.mul(tc).mul(o).mul(one.sub(o)).intoArray(dIn, ao + 3 * h + j);
            dcc.mul(f).intoArray(dc, dco + j);
        }
        RecurrentGates.lstmBackward(j, h, h, act, ao, cAfter, cao, cPrev, cpo, dh, dho, dc, dco, dIn);
    }

    private static void gruCandidate(int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh,
                                     float[] act, float[] hn, int hno, float[] state, int so) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int j = 0;
        for (int bound = F.loopBound(h); j < bound; j += F.length()) {
            FloatVector hidden = FloatVector.fromArray(F, hw, wo + 2 * h + j).add(FloatVector.fromArray(F, bh, 2 * h + j));
            FloatVector x = FloatVector.fromArray(F, xw, xo + 2 * h + j).add(FloatVector.fromArray(F, bi, 2 * h + j));
            FloatVector n = VectorFloatMath.tanh(x.add(FloatVector.fromArray(F, act, xo + j).mul(hidden)));
            FloatVector z = FloatVector.fromArray(F, act, xo + h + j);
            n.intoArray(act, xo + 2 * h + j);
            hidden.intoArray(hn, hno + j);
            one.sub(z).mul(n).add(z.mul(FloatVector.fromArray(F, state, so + j))).intoArray(state, so + j);
        }
        RecurrentGates.gruCandidate(j, h, h, xw, xo, bi, hw, wo, bh, act, hn, hno, state, so);
    }
}
