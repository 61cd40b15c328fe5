package dev.descent.io;

import java.util.Map;

/**
 * Prints a {@link Json} tree as compact JSON (no whitespace), the form safetensors headers use.
 * Part of Descent's own JSON code, which exists because the core jar has no runtime dependencies.
 *
 * <p>Strings are escaped minimally: quote, backslash and control characters; everything else,
 * non-ASCII included, is written as is (the caller encodes the text as UTF-8).
 */
final class JsonWriter {
    private JsonWriter() {}

    static String write(Json value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Json value, StringBuilder sb) {
        switch (value) {
            case Json.Obj o -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, Json> e : o.members().entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    sb.append('"').append(escape(e.getKey())).append("\":");
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case Json.Arr a -> {
                sb.append('[');
                for (int i = 0; i < a.elements().size(); i++) {
                    if (i > 0) sb.append(',');
                    write(a.elements().get(i), sb);
                }
                sb.append(']');
            }
            case Json.Str s -> sb.append('"').append(escape(s.value())).append('"');
            case Json.Num n -> sb.append(n.text());
            case Json.Bool b -> sb.append(b.value());
            case Json.Null n -> sb.append("null");
        }
    }

    /** The body of a JSON string literal for {@code s} (without the surrounding quotes). */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
