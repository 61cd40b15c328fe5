package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.List;

/**
 * Modules held in order under the names 0, 1, ..., as PyTorch's {@code nn.ModuleList}: a
 * container for a parent that calls them itself (with arguments of its own, such as masks), so
 * it has no forward pass of its own.
 */
public final class ModuleList extends Module {
    private final List<Module> modules;

    private ModuleList(List<? extends Module> modules) {
        this.modules = List.copyOf(modules);
        for (int i = 0; i < this.modules.size(); i++) registerModule(Integer.toString(i), this.modules.get(i));
    }

    public static ModuleList of(List<? extends Module> modules) {
        return new ModuleList(modules);
    }

    public int size() {
        return modules.size();
    }

    public Module get(int index) {
        return modules.get(index);
    }

    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward pass; its parent calls the modules it holds");
    }
}
