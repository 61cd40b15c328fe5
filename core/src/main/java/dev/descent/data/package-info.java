/**
 * Data: CSV and IDX readers, class-label mapping, feature scaling fitted on training data only,
 * train/validation splits and k-fold cross-validation folds (both stratifiable for
 * classification), and a mini-batch loader with
 * reproducible shuffling and background prefetching. Every unusable input raises a
 * {@link dev.descent.data.DataException} whose one-line message names the file and the line or
 * byte offset.
 */
package dev.descent.data;
