package dev.descent.data;

/**
 * A data file could not be used: missing, malformed, truncated or inconsistent. The message is
 * one line that names the file and, where it applies, the line (CSV) or byte offset (IDX), so a
 * command line can print it as is and exit with status 2.
 */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
