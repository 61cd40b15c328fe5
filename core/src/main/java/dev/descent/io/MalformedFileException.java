package dev.descent.io;

import java.io.IOException;

/**
 * A file (or byte buffer) is not a well-formed file of the format being read. The message is one
 * line that starts with the source name (the file path, or the name given to
 * {@link Safetensors#fromBytes(byte[], String)}) and says what is wrong, for example
 * {@code model.safetensors: tensor "fc.weight": data_offsets [0, 96] hold 96 bytes but shape [5, 5]
 * of F32 needs 100}.
 *
 * <p>It is a checked {@link IOException}, like {@link java.util.zip.ZipException}, because a bad
 * file is an expected outcome of reading one: callers that already handle a missing file or a full
 * disk handle a corrupt file in the same {@code catch}, and cannot forget to.
 */
public final class MalformedFileException extends IOException {
    private final String source;

    /**
     * @param source  the file path or buffer name, put at the front of the message
     * @param problem what is wrong, in one line
     */
    public MalformedFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    /** The file path or buffer name this error is about. */
    public String source() {
        return source;
    }
}
