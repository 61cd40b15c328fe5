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
 * @param dtypes   each tensor's element type as the file stored it ("F32", "I64", ...), before
 *                 the conversion to float32
 */
public record SafetensorsFile(String source, Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes) {
    public SafetensorsFile {
        Objects.requireNonNull(source, "source");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
    }

    /** Tensors all stored as F32. */
    public SafetensorsFile(String source, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this(source, tensors, metadata, f32(tensors));
    }

    private static Map<String, String> f32(Map<String, Tensor> tensors) {
        Map<String, String> m = new LinkedHashMap<>();
        tensors.keySet().forEach(k -> m.put(k, "F32"));
        return m;
    }

    /** The names of the tensors the file stored as I64 (counts, in a PyTorch state dict). */
    public java.util.Set<String> int64() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        dtypes.forEach((k, v) -> {
            if (v.equals("I64")) out.add(k);
        });
        return out;
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
