package dev.descent.cli.run;

import dev.descent.cli.config.ConfigException;
import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Copies one set of starting weights into a model whose entries match it in order and shape.
 * Matching by order rather than by name lets a variant add or remove layers without weights
 * (a {@code dropout} shifts the {@code nn.Sequential} indices, so "2.weight" becomes
 * "3.weight") and still start from exactly the same numbers.
 */
public final class InitialWeights {
    private InitialWeights() {}

    /**
     * Copies {@code state}'s tensors into the model's state dict, entry by entry in order.
     *
     * @throws ConfigException when the model holds a different number of entries or a shape
     *                         differs: that model cannot start from these weights
     */
    public static void copyInto(Module model, Map<String, Tensor> state) {
        Map<String, Tensor> own = model.stateDict();
        List<Map.Entry<String, Tensor>> want = new ArrayList<>(state.entrySet());
        List<Map.Entry<String, Tensor>> have = new ArrayList<>(own.entrySet());
        if (want.size() != have.size()) {
            throw new ConfigException("model: has " + have.size() + " weight tensors, the base configuration's model has " + want.size()
                    + "; every variant must have the same weights to start from the same point (layers without weights may differ)");
        }
        for (int i = 0; i < want.size(); i++) {
            int[] a = want.get(i).getValue().shape(), b = have.get(i).getValue().shape();
            if (!Arrays.equals(a, b)) {
                throw new ConfigException("model: " + have.get(i).getKey() + " has shape " + Arrays.toString(b) + " but the base model's "
                        + want.get(i).getKey() + " has " + Arrays.toString(a) + "; every variant must start from the same weights");
            }
        }
        Map<String, Tensor> renamed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < want.size(); i++) renamed.put(have.get(i).getKey(), want.get(i).getValue().copy());
        model.loadStateDict(renamed, true);
    }
}
