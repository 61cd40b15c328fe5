/**
 * A training run as the command line sees it: the run directory and its files, the information
 * evaluation and prediction reuse ({@code run.json}), and the wiring of one run from a
 * configuration to {@code Trainer.fit}.
 */
package dev.descent.cli.run;
