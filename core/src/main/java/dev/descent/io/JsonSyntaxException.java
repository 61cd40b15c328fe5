package dev.descent.io;

/** Text that is not valid JSON; {@link #offset()} is the index of the offending character. */
final class JsonSyntaxException extends Exception {
    private final int offset;
    private final String problem;

    JsonSyntaxException(int offset, String problem) {
        super(problem + " at character " + offset);
        this.offset = offset;
        this.problem = problem;
    }

    /** Index (in UTF-16 chars, from 0) of the character where parsing failed. */
    int offset() {
        return offset;
    }

    /** The problem without the offset. */
    String problem() {
        return problem;
    }
}
