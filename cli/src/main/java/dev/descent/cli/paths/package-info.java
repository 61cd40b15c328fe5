/**
 * {@code descent paths}: the paths several optimizers take over a 2-D test function (Rosenbrock,
 * Beale), drawn over its contour lines, so a learner can see how they move.
 */
package dev.descent.cli.paths;
