/**
 * TensorBoard's event files, written by Descent: scalars, histograms and text while a run trains
 * ({@link dev.descent.interop.tensorboard.TensorBoardLog}), and the HParams plugin's summaries of
 * a study ({@link dev.descent.interop.tensorboard.HParams}).
 */
package dev.descent.interop.tensorboard;
