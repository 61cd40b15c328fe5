package dev.descent.study;

/**
 * The study database could not be used: locked by another process past the busy timeout, not a
 * Descent study database, written by a newer schema, an I/O failure, or (the subclass
 * {@link StudyMismatchException}) a study opened with another definition than it was created
 * with. The message is one line that names the database file, so a command line can print it as
 * is.
 */
public class StudyStorageException extends RuntimeException {
    public StudyStorageException(String message) {
        super(message);
    }

    public StudyStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
