package dev.descent.study;

/**
 * The study database could not be used: locked by another process past the busy timeout, not a
 * Descent study database, written by a newer schema, or an I/O failure. The message is one line
 * that names the database file, so a command line can print it as is.
 */
public final class StudyStorageException extends RuntimeException {
    public StudyStorageException(String message) {
        super(message);
    }

    public StudyStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
