package dev.descent.io;

import dev.descent.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a safetensors file: float32 tensors by name, in the order of the file's header,
 * and the optional string metadata ({@code __metadata__}), also in file order.
 *
 * @param source   the file path or buffer name it was read from, used in error messages
 * @param tensors  tensors by name (unmodifiable, insertion order kept)
 * @param metadata string metadata (unmodifiable, empty when the file has none)
 */
public record SafetensorsFile(String source, Map<String, Tensor> tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        Objects.requireNonNull(source, "source");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * The tensor with this name.
     *
     * @throws IllegalArgumentException naming the file and the tensors it does have, when absent
     */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": no tensor \"" + name + "\"; the file has " + tensors.keySet());
        }
        return t;
    }
}
