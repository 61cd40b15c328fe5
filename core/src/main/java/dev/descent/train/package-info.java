/**
 * The training loop and what belongs to a run: checkpoints that resume bit for bit. Early
 * stopping, checkpoint and logging callbacks live here too ("regularization is a role, not a
 * package": early stopping is a callback of the loop).
 */
package dev.descent.train;
