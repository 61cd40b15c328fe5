package dev.descent.tensor;

/**
 * Element type of a tensor. Training runs in {@link #F32}; {@link #F64} exists so that gradient
 * checks by central finite differences can run in double precision, where the truncation and
 * rounding errors of the difference quotient are far below the tolerances the checks assert.
 */
public enum DType {
    /** IEEE 754 binary32, the type every kernel is optimized for. */
    F32,
    /** IEEE 754 binary64, evaluated by the scalar kernels; used by gradient checks. */
    F64
}
