/**
 * Persistent storage for hyperparameter studies: studies, their trials, each trial's parameters,
 * intermediate values and outcome, kept in an embedded SQLite database so a search can be killed
 * and resumed, and several worker threads or processes can share one study.
 *
 * <p>The API ({@link dev.descent.study.SqliteStudyStorage}) is deliberately small and independent
 * of the in-memory search package so it can be adapted to that package's storage interface.
 */
package dev.descent.study;
