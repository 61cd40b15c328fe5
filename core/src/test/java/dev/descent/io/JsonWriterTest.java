package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JSON writer prints compact JSON that the reader parses back to the same tree. */
class JsonWriterTest {

    @Test
    void writesCompactJsonInKeyOrder() {
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("b", new Json.Arr(List.of(new Json.Num("1"), new Json.Bool(false), Json.Null.INSTANCE)));
        m.put("a", new Json.Str("x"));
        assertEquals("{\"b\":[1,false,null],\"a\":\"x\"}", JsonWriter.write(new Json.Obj(m)));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("q\\\" b\\\\ \\n\\r\\t \\u0001\\u007f é 😀", JsonWriter.escape("q\" b\\ \n\r\t \u0001\u007f é 😀"));
    }

    @Test
    void everyStringRoundTripsThroughTheReader() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(20);
            for (int i = 0; i < length; i++) {
                // ASCII (all control characters included) and some BMP and supplementary characters.
                int cp = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0xA0 + random.nextInt(0xD000);
                    default -> 0x10000 + random.nextInt(0x1000);
                };
                sb.appendCodePoint(cp);
            }
            Json.Str s = new Json.Str(sb.toString());
            assertEquals(s, JsonReader.parse(JsonWriter.write(s)), "round " + round);
        }
    }
}
