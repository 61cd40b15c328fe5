/**
 * Registries of names and defaults: one {@link dev.descent.registry.Registry} per kind of piece
 * (optimizers, schedules, losses, metrics, layers), each a list of
 * {@link dev.descent.registry.Row rows}. A row holds the name a config file uses, the options with
 * PyTorch's names, types and defaults, and the factory that makes the piece from them.
 *
 * <p>The Java API's static factories ({@code Optimizers.adam(lr)}, ...) take their defaults from
 * the rows, and the command line reads a config mapping through the same rows with one generic
 * reader, so a name, an option or a default is written down once. Adding an optimizer is its own
 * file plus its row.
 *
 * <p>This is a leaf package: it depends on {@code java.base} only, so every package that defines a
 * kind of piece can hold its registry.
 */
package dev.descent.registry;
