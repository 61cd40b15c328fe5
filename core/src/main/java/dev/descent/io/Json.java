package dev.descent.io;

import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value: the tree {@link JsonReader} builds and {@link JsonWriter} prints.
 *
 * <p>Descent carries its own JSON code because the core jar has no runtime dependencies (see
 * DESIGN.md): a safetensors header is a few hundred bytes of JSON, not worth a library. The
 * model is minimal on purpose: objects keep their key order, numbers keep their source text so
 * that an integer such as a byte offset is never rounded through a double.
 */
sealed interface Json {

    /** An object; keys are unique and in source order. */
    record Obj(Map<String, Json> members) implements Json {}

    record Arr(List<Json> elements) implements Json {}

    record Str(String value) implements Json {}

    /** A number exactly as written in the source (already checked against the JSON grammar). */
    record Num(String text) implements Json {}

    record Bool(boolean value) implements Json {}

    /** The JSON literal {@code null}. */
    enum Null implements Json { INSTANCE }

    /** The kind of value, for error messages: "object", "array", "string", ... */
    static String kind(Json value) {
        return switch (value) {
            case Obj o -> "object";
            case Arr a -> "array";
            case Str s -> "string";
            case Num n -> "number";
            case Bool b -> "boolean";
            case Null n -> "null";
        };
    }
}
