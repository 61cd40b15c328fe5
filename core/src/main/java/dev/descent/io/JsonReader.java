package dev.descent.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for the small documents Descent reads, such as safetensors
 * headers. It exists because the core jar must stay free of runtime dependencies.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no NaN or Infinity, no
 * leading zeros, no raw control characters or lone surrogates in strings, no duplicate object
 * keys, and nothing but whitespace after the value. Every error names the character offset.
 * Nesting is limited to {@value #MAX_DEPTH} levels so that a hostile {@code [[[[...} cannot
 * overflow the stack.
 */
final class JsonReader {
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses one JSON value that fills {@code text} (surrounding whitespace allowed). */
    static Json parse(String text) throws JsonSyntaxException {
        JsonReader r = new JsonReader(text);
        r.skipWhitespace();
        Json value = r.value();
        r.skipWhitespace();
        if (r.pos < text.length()) throw r.error("unexpected " + r.describe(r.pos) + " after the JSON value");
        return value;
    }

    private Json value() throws JsonSyntaxException {
        if (pos >= text.length()) throw error("unexpected end of input, expected a value");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new Json.Str(string());
            case 't' -> literal("true", new Json.Bool(true));
            case 'f' -> literal("false", new Json.Bool(false));
            case 'n' -> literal("null", Json.Null.INSTANCE);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected " + describe(pos) + ", expected a value");
            }
        };
    }

    private Json object() throws JsonSyntaxException {
        enter();
        pos++; // '{'
        Map<String, Json> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new Json.Obj(Collections.unmodifiableMap(members));
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key, found " + describe(pos));
            int keyStart = pos;
            String key = string();
            if (members.containsKey(key)) throw new JsonSyntaxException(keyStart, "duplicate key \"" + JsonWriter.escape(key) + "\"");
            skipWhitespace();
            expect(':', "after object key");
            skipWhitespace();
            members.put(key, value());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                depth--;
                return new Json.Obj(Collections.unmodifiableMap(members));
            } else {
                throw error("expected ',' or '}' in object, found " + describe(pos));
            }
        }
    }

    private Json array() throws JsonSyntaxException {
        enter();
        pos++; // '['
        List<Json> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new Json.Arr(List.copyOf(elements));
        }
        while (true) {
            skipWhitespace();
            elements.add(value());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                depth--;
                return new Json.Arr(List.copyOf(elements));
            } else {
                throw error("expected ',' or ']' in array, found " + describe(pos));
            }
        }
    }

    private void enter() throws JsonSyntaxException {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }

    private String string() throws JsonSyntaxException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw new JsonSyntaxException(start, "unterminated string");
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            } else if (c == '\\') {
                escape(sb);
            } else if (c < 0x20) {
                throw error("raw control character U+" + String.format("%04X", (int) c) + " in string (must be escaped)");
            } else if (Character.isHighSurrogate(c)) {
                // Only reachable when the text came from somewhere other than a strict UTF-8
                // decode; keep the guarantee that parsed strings are well-formed anyway.
                if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) throw error("lone surrogate in string");
                sb.append(c).append(text.charAt(pos + 1));
                pos += 2;
            } else if (Character.isLowSurrogate(c)) {
                throw error("lone surrogate in string");
            } else {
                sb.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder sb) throws JsonSyntaxException {
        int at = pos;
        if (pos + 1 >= text.length()) throw new JsonSyntaxException(at, "unterminated escape sequence");
        char e = text.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char u = hex4(at);
                if (Character.isHighSurrogate(u)) {
                    // JSON spells a supplementary character as two escapes: the pair must be whole.
                    if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                        int second = pos;
                        pos += 2;
                        char low = hex4(second);
                        if (!Character.isLowSurrogate(low)) throw new JsonSyntaxException(at, "lone surrogate escape \\u" + hex(u));
                        sb.append(u).append(low);
                    } else {
                        throw new JsonSyntaxException(at, "lone surrogate escape \\u" + hex(u));
                    }
                } else if (Character.isLowSurrogate(u)) {
                    throw new JsonSyntaxException(at, "lone surrogate escape \\u" + hex(u));
                } else {
                    sb.append(u);
                }
            }
            default -> throw new JsonSyntaxException(at, "invalid escape sequence \\" + printable(e));
        }
    }

    /** Reads the 4 hex digits after a {@code \\u} whose backslash is at {@code at}. */
    private char hex4(int at) throws JsonSyntaxException {
        if (pos + 4 > text.length()) throw new JsonSyntaxException(at, "truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
            if (d < 0 || text.charAt(pos + i) > 'f') throw new JsonSyntaxException(at, "invalid \\u escape (needs 4 hex digits)");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Json number() throws JsonSyntaxException {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw error("leading zero in number");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit in number, found " + describe(pos));
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after the decimal point, found " + describe(pos));
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in exponent, found " + describe(pos));
            while (isDigit(peek())) pos++;
        }
        return new Json.Num(text.substring(start, pos));
    }

    private Json literal(String word, Json value) throws JsonSyntaxException {
        if (!text.startsWith(word, pos)) throw error("unexpected " + describe(pos) + ", expected a value");
        pos += word.length();
        return value;
    }

    private void expect(char c, String where) throws JsonSyntaxException {
        if (peek() != c) throw error("expected '" + c + "' " + where + ", found " + describe(pos));
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    /** The current character, or U+FFFF (never valid where it is tested) at the end. */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uFFFF';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describe(int at) {
        return at >= text.length() ? "end of input" : "'" + printable(text.charAt(at)) + "'";
    }

    /** A character as it can safely appear in a one-line message. */
    private static String printable(char c) {
        return c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\uFFFF' ? "\\u" + hex(c) : String.valueOf(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private JsonSyntaxException error(String problem) {
        return new JsonSyntaxException(pos, problem);
    }
}
