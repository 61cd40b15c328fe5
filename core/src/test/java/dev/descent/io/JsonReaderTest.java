package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON reader: what it accepts, and the offset it names for what it rejects. */
class JsonReaderTest {

    private static String error(String text) {
        var e = assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(text));
        return e.getMessage();
    }

    @Test
    void parsesNestedValuesKeepingKeyOrderAndNumberText() throws Exception {
        Json v = JsonReader.parse(" {\"z\": [1, -0, 2.5e-3, true, false, null], \"a\": {}, \"m\": []} \n");
        Json.Obj obj = (Json.Obj) v;
        assertEquals(List.of("z", "a", "m"), List.copyOf(obj.members().keySet()));
        assertEquals(new Json.Arr(List.of(new Json.Num("1"), new Json.Num("-0"), new Json.Num("2.5e-3"),
                new Json.Bool(true), new Json.Bool(false), Json.Null.INSTANCE)), obj.members().get("z"));
        assertEquals(new Json.Obj(Map.of()), obj.members().get("a"));
    }

    @Test
    void decodesEscapes() throws Exception {
        Json v = JsonReader.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\uD83D\\uDE00 \\u0000\"");
        assertEquals(new Json.Str("q\" b\\ s/ \b\f\n\r\t é 😀 \0"), v);
    }

    @Test
    void rejectsWhatStrictJsonForbidsWithTheOffset() {
        assertEquals("unexpected end of input, expected a value at character 3", error("[1,"));
        assertEquals("expected ',' or ']' in array, found end of input at character 2", error("[1"));
        assertEquals("unexpected ']', expected a value at character 3", error("[1,]"));
        assertEquals("expected a string key, found '}' at character 7", error("{\"a\":1,}"));
        assertEquals("leading zero in number at character 2", error("[01]"));
        assertEquals("expected a digit after the decimal point, found ']' at character 3", error("[1.]"));
        assertEquals("expected a digit in exponent, found ']' at character 3", error("[1e]"));
        assertEquals("unexpected 'N', expected a value at character 1", error("[NaN]"));
        assertEquals("expected a string key, found ''' at character 1", error("{'a':1}"));
        assertEquals("unexpected '/', expected a value at character 0", error("// comment\n{}"));
        assertEquals("raw control character U+000A in string (must be escaped) at character 2", error("\"a\nb\""));
        assertEquals("invalid escape sequence \\x at character 1", error("\"\\x41\""));
        assertEquals("invalid \\u escape (needs 4 hex digits) at character 1", error("\"\\u12G4\""));
        assertEquals("truncated \\u escape at character 1", error("\"\\u12\""));
        assertEquals("lone surrogate escape \\uD800 at character 1", error("\"\\uD800\""));
        assertEquals("lone surrogate escape \\uDC00 at character 1", error("\"\\uDC00\""));
        assertEquals("lone surrogate escape \\uD800 at character 1", error("\"\\uD800\\u0041\""));
        assertEquals("unterminated string at character 0", error("\"abc"));
        assertEquals("unexpected '1' after the JSON value at character 3", error("{} 1"));
        assertEquals("unexpected end of input, expected a value at character 0", error(""));
        assertEquals("duplicate key \"a\" at character 7", error("{\"a\":1,\"a\":2}"));
        assertEquals("unexpected 't', expected a value at character 0", error("tru"));
    }

    @Test
    void nestingIsLimitedSoDeepInputCannotOverflowTheStack() throws Exception {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        JsonReader.parse(ok);
        String deep = "[".repeat(100_000);
        assertEquals("nesting deeper than 64 levels at character 64", error(deep));
    }
}
