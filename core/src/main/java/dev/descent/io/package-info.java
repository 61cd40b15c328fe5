/**
 * Tensor files: reading and writing the safetensors format ({@link dev.descent.io.Safetensors}),
 * so that weights move between Descent and PyTorch.
 *
 * <p>Layer rule: this package depends on {@code dev.descent.tensor} only. It contains a small
 * strict JSON reader and writer of its own (package-private) because the core jar has no runtime
 * dependencies. Malformed input is reported by {@link dev.descent.io.MalformedFileException}, a
 * checked {@link java.io.IOException} whose one-line message names the file and the problem.
 */
package dev.descent.io;
