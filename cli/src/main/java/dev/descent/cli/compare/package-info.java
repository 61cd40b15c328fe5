/**
 * {@code descent compare}: trains variants of one configuration from the same initial weights and
 * the same data order, and tabulates and charts them side by side.
 */
package dev.descent.cli.compare;
