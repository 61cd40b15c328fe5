package dev.descent.io;

/**
 * Writes a Java string as a JSON string literal (RFC 8259: quote, backslash and control
 * characters escaped). Shared by the safetensors header writer and the training metrics log, so
 * there is one escaping rule in the project.
 */
public final class JsonStrings {
    private JsonStrings() {}

    /** The string in double quotes, escaped. */
    public static String quote(String s) {
        return "\"" + JsonWriter.escape(s) + "\"";
    }
}
