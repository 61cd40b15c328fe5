/**
 * Persistent storage for hyperparameter studies: studies, their trials, each trial's parameters,
 * intermediate values and outcome, kept in an SQLite file or a PostgreSQL database, so a search
 * can be killed and resumed, and any number of worker threads, processes and machines can run one
 * study together.
 *
 * <p>{@link dev.descent.study.JdbcStudyStorage} is the database; {@link dev.descent.study.JdbcStudy}
 * is one of its studies as the search package's {@link dev.descent.search.StudyStorage}, with the
 * search package's own types (direction, trial state, frozen trial) throughout.
 */
package dev.descent.study;
