package dev.descent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.descent.io.MalformedFileException;
import dev.descent.io.Safetensors;
import dev.descent.io.SafetensorsFile;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;

/**
 * Any bytes given to the safetensors reader end in a valid file or a {@link MalformedFileException}
 * of one line; a valid file then loads into a model (Linear, BatchNorm1d) or is refused with an
 * {@link IllegalArgumentException} naming the keys, which the command line turns into a one-line
 * error (init_from, --resume). Seeds: src/test/resources/dev/descent/fuzz/SafetensorsFuzzTestInputs.
 */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void safetensors(byte[] data) {
        SafetensorsFile file;
        try {
            file = Safetensors.fromBytes(data, "fuzz.safetensors");
        } catch (MalformedFileException e) {
            Documented.oneLine(e);
            return;
        }
        Sequential model = Sequential.of(Linear.of(3, 2, Generator.seeded(0)), BatchNorm1d.of(2));
        try {
            model.loadStateDict(file.tensors(), true);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) throw e;
        }
    }
}
