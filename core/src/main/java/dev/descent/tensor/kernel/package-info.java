/**
 * Compute kernels on flat float arrays: elementwise functions, reductions and matrix multiply.
 *
 * <p>Each kernel exists twice: a Vector API version ({@code jdk.incubator.vector}) and a scalar
 * twin that performs the same floating-point operations in the same order, so the two give
 * identical bits; {@link dev.descent.tensor.kernel.KernelMode} picks one. All parallel work goes
 * through {@link dev.descent.tensor.kernel.Parallel}'s single pool and is split by output ranges
 * only, so results do not depend on the thread count. This package knows nothing of tensors.
 */
package dev.descent.tensor.kernel;
