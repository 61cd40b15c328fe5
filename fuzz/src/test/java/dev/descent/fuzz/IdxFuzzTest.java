package dev.descent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.descent.data.DataException;
import dev.descent.data.Idx;
import dev.descent.tensor.Tensor;
import java.io.ByteArrayInputStream;

/**
 * Any bytes, gzipped or not, read as IDX images and as IDX labels end in a tensor of the
 * promised shape or a {@link DataException} of one line (a CRC error, a truncation, a bad header,
 * bytes after the data). Seeds: src/test/resources/dev/descent/fuzz/IdxFuzzTestInputs.
 */
class IdxFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void idx(byte[] data) {
        for (int rank : new int[] {3, 1}) {
            try {
                Tensor t = Idx.read(new ByteArrayInputStream(data), "fuzz.idx", rank);
                if (t.dim() != (rank == 3 ? 4 : 1)) throw new AssertionError("rank " + rank + " gave shape of " + t.dim() + " dimensions");
            } catch (DataException e) {
                Documented.oneLine(e);
            }
        }
    }
}
