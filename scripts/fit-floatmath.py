#!/usr/bin/env python3
"""Recomputes the polynomial coefficients of core/.../kernel/FloatMath.java (needs mpmath, numpy).

Each fit is mpmath.chebyfit (interpolation at Chebyshev nodes, close to the minimax polynomial)
of the part of the function left after its exact leading terms, in 40-digit arithmetic, then
rounded to float32. FloatMathAccuracyTest checks the resulting functions, not this script.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40


def f32(v):
    return float(np.float32(float(v)))


def fit(g, a, b, deg):
    return [f32(p) for p in mp.chebyfit(g, [a, b], deg + 1)]  # highest degree first


half_ln2 = mp.log(2) / 2
# exp: e^r = 1 + r + r^2 q(r) on |r| <= ln2/2 (1% margin for round-to-nearest ties in the reduction)
exp_q = fit(lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(1) / 2, -half_ln2 * 1.01, half_ln2 * 1.01, 4)
# tanh: tanh a = a + a^3 g(a^2) on 0 <= a < 0.625
tanh_g = fit(lambda z: (mp.tanh(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z)**3 if z != 0 else -mp.mpf(1) / 3, 0, mp.mpf(0.625)**2, 5)

# erf: erf a = a + a h(a^2) on 0 <= a < 1, h(z) = H0 + z h1(z): H0 is the float nearest
# 2/sqrt(pi) - 1 (the Taylor term, so tiny a come out right; subtracting 1 makes its rounding
# 8 times smaller against the result) and h1, of degree 5, fits the rest.
# Above 1, erf a = 1 - e^(p(a - 2.5)) with p fitting log erfc on [1, 4].
erf_h0 = f32(2 / mp.sqrt(mp.pi) - 1)
erf_h1 = fit(lambda z: (mp.erf(mp.sqrt(z)) / mp.sqrt(z) - 2 / mp.sqrt(mp.pi)) / z if z != 0 else -2 / (3 * mp.sqrt(mp.pi)), 0, 1, 5)
erf_h = erf_h1 + [erf_h0]
erfc_p = fit(lambda t: mp.log(mp.erfc(t + mp.mpf(2.5))), -1.5, 1.5, 8)

for name, c in (("EXP_Q", exp_q), ("TANH_G", tanh_g), ("ERF_H", erf_h), ("ERFC_P", erfc_p)):
    for i, ci in enumerate(reversed(c)):
        print(f"{name}{i} = {float(ci).hex()}f  // {ci!r}")
ln2_hi = f32(mp.log(2))
print("LN2_HI =", ln2_hi.hex(), " LN2_LO =", f32(mp.log(2) - ln2_hi).hex(), " LOG2E =", f32(1 / mp.log(2)).hex())
