package dev.descent.cli.report;

/**
 * A training report could not be built: an input file is missing, empty or malformed, or an
 * output could not be written. The message always names the file involved, so the CLI can print
 * it as is.
 */
public final class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
