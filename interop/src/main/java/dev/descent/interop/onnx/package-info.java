/** Trained models as ONNX files ({@link dev.descent.interop.onnx.OnnxExport}), run by ONNX Runtime and every ONNX consumer. */
package dev.descent.interop.onnx;
