package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gradients the engine proves dead are recycled into later allocations, come back zeroed, and
 * never change a result; storage a user can still reach is never recycled.
 */
@ExtendWith(GlobalSettings.class)
class StorageRecyclingTest {
    @Test
    void recycledArraysComeBackZeroedAndOnlyForTheirLength() {
        StoragePool.clear();
        float[] a = new float[StoragePool.MIN_LENGTH];
        Arrays.fill(a, 3f);
        StoragePool.give(a);
        StoragePool.give(a); // a second release of the same array is ignored
        assertEquals(a.length, StoragePool.pooledFloats());
        assertNull(StoragePool.take(a.length + 1));
        float[] b = StoragePool.take(a.length);
        assertSame(a, b);
        for (float v : b) assertEquals(0f, v);
        assertNull(StoragePool.take(a.length), "each array is handed out once");
        StoragePool.give(new float[StoragePool.MIN_LENGTH - 1]);
        assertEquals(0, StoragePool.pooledFloats(), "small arrays are left to the collector");
    }

    @Test
    void kernelsThatWriteEveryElementMayTakeADirtyArray() {
        StoragePool.clear();
        int n = StoragePool.MIN_LENGTH * 2;
        Generator gen = Generator.seeded(5);
        Tensor x = Tensor.randn(gen, 64, n / 64), y = Tensor.randn(gen, 64, n / 64);
        Tensor w = Tensor.randn(gen, n / 64, n / 64);
        float[] relu = x.relu().toFloatArray(), sum = x.add(y).toFloatArray(), prod = x.matmul(w).toFloatArray();
        for (int round = 0; round < 3; round++) {
            float[] poison = new float[n];
            Arrays.fill(poison, Float.NaN);
            StoragePool.give(poison);
            Tensor out = switch (round) {
                case 0 -> x.relu();
                case 1 -> x.add(y);
                default -> x.matmul(w);
            };
            assertSame(poison, out.f, "the pooled array was reused");
            assertArrayEquals(round == 0 ? relu : round == 1 ? sum : prod, out.toFloatArray());
        }
    }

    @Test
    void intermediateGradientsAreRecycledButLeafGradientsAndOutputsAreNot() {
        StoragePool.clear();
        Generator gen = Generator.seeded(3);
        Tensor w = Tensor.randn(gen, 128, 64).requireGrad();
        Tensor x = Tensor.randn(gen, 128, 64);
        Tensor h = x.matmul(w.t());           // [128, 128]: 16384 floats, above the pool's minimum
        Tensor r = h.relu();
        Tensor loss = r.mul(r).sum();
        loss.backward();
        assertTrue(StoragePool.pooledFloats() > 0, "some dead gradient was recycled");
        // What the user can reach keeps its storage: the next allocations never hand it out again.
        for (int i = 0; i < 8; i++) {
            Tensor fresh = Tensor.allocate(DType.F32, new int[] {128, 128});
            assertNotSame(h.f, fresh.f);
            assertNotSame(r.f, fresh.f);
            assertNotSame(w.grad().f, fresh.f);
        }
    }

    @Test
    void trainingStepsGiveTheSameBitsWithAndWithoutRecycling() {
        float[] with = train(true), without = train(false);
        assertArrayEquals(without, with);
    }

    /** A few SGD steps of a small conv net; returns the final weights of every layer, flattened. */
    private static float[] train(boolean recycle) {
        StoragePool.setEnabled(recycle);
        StoragePool.clear();
        Generator gen = Generator.seeded(11);
        Tensor w1 = Tensor.randn(gen, 8, 1, 3, 3).mul(0.3).detach().requireGrad();
        Tensor w2 = Tensor.randn(gen, 10, 8 * 13 * 13).mul(0.05).detach().requireGrad();
        Tensor x = Tensor.rand(gen, 16, 1, 28, 28);
        for (int step = 0; step < 4; step++) {
            w1.zeroGrad();
            w2.zeroGrad();
            Tensor h = x.conv2d(w1, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1).relu()
                    .maxPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}).reshape(16, 8 * 13 * 13);
            Tensor out = h.matmul(w2.t());
            out.mul(out).mean().backward();
            try (var ng = GradMode.noGrad()) {
                w1 = w1.sub(w1.grad().mul(0.1)).detach().requireGrad();
                w2 = w2.sub(w2.grad().mul(0.1)).detach().requireGrad();
            }
        }
        float[] a = w1.toFloatArray(), b = w2.toFloatArray();
        float[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
