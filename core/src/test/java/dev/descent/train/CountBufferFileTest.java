package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.io.Safetensors;
import dev.descent.io.SafetensorsFile;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BatchNorm's {@code num_batches_tracked} in files: written as I64, as PyTorch's
 * {@code safetensors.torch.save_file} writes a {@code torch.long} buffer; read back from such a
 * file and from the F32 files earlier Descent versions wrote.
 */
class CountBufferFileTest {
    @TempDir Path dir;

    private static Sequential model(long seed) {
        Generator gen = Generator.seeded(seed);
        return Sequential.of(Linear.of(3, 4, gen), BatchNorm1d.of(4));
    }

    private static String header(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    }

    @Test
    void theCounterIsWrittenAsI64AndReadBack() throws Exception {
        Sequential m = model(1);
        for (int i = 0; i < 3; i++) m.forward(Tensor.arange(6).reshape(2, 3).mul(i + 1));
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, m.stateDict(), Map.of(), m.countBuffers());
        String h = header(file);
        assertTrue(h.contains("\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]"), h);
        assertTrue(h.contains("\"1.running_mean\":{\"dtype\":\"F32\""), h);
        SafetensorsFile read = Safetensors.read(file);
        assertEquals(Set.of("1.num_batches_tracked"), read.int64());
        Sequential back = model(2);
        back.loadStateDict(read.tensors(), true);
        assertEquals(3.0, back.namedBuffers().get("1.num_batches_tracked").item());

        // A file of an earlier version, the counter as F32, still loads.
        Path old = dir.resolve("old.safetensors");
        Safetensors.write(old, m.stateDict());
        assertTrue(header(old).contains("\"1.num_batches_tracked\":{\"dtype\":\"F32\""));
        Sequential fromOld = model(3);
        fromOld.loadStateDict(Safetensors.read(old).tensors(), true);
        assertEquals(3.0, fromOld.namedBuffers().get("1.num_batches_tracked").item());
    }

    @Test
    void aCheckpointKeepsTheCounterAsI64ThroughSaveAndLoad() throws Exception {
        Sequential m = model(4);
        m.forward(Tensor.arange(6).reshape(2, 3));
        var optimizer = Optimizers.sgd(0.1).bind(m.namedParameters());
        Checkpoint c = Checkpoint.capture(m, optimizer, Map.of(), 1, 1);
        Path file = dir.resolve("c.safetensors");
        c.save(file);
        assertTrue(header(file).contains("\"model/1.num_batches_tracked\":{\"dtype\":\"I64\""), header(file));
        Checkpoint back = Checkpoint.load(file);
        assertEquals(Set.of("1.num_batches_tracked"), back.counts());
        assertEquals(1.0, back.model().get("1.num_batches_tracked").item());
        Map<String, Tensor> state = new LinkedHashMap<>(back.model());
        Sequential restored = model(5);
        restored.loadStateDict(state, true);
        assertEquals(1.0, restored.namedBuffers().get("1.num_batches_tracked").item());
    }
}
