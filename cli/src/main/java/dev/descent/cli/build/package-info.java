/**
 * The factory tables of the command line: each turns one section of a run configuration into the
 * objects the Java API uses ({@code Sequential}, {@code Loss}, {@code OptimizerSpec},
 * {@code Schedule}, {@code Metric}, {@code TensorDataset}), checking every key and name and
 * suggesting the nearest valid one. No training logic lives here.
 */
package dev.descent.cli.build;
