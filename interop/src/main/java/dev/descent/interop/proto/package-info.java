/** The protocol-buffers wire format, written (not read) for TensorBoard's events and ONNX's models. */
package dev.descent.interop.proto;
