package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.List;

/**
 * Modules applied one after another: {@code forward(x) = m_{n-1}(... m_1(m_0(x)))}. The children
 * are named by their index, as in PyTorch's {@code nn.Sequential}, so their tensors appear in the
 * state dict as {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, ... (modules without
 * parameters, like activations, keep their index but add no keys).
 *
 * <p>A {@link ReLU} directly followed by a {@link MaxPool2d} runs as one fused operation, with
 * the same results, and so does a {@link Conv2d} followed by that pair.
 *
 * <pre>{@code
 * var model = Sequential.of(Linear.of(784, 256, rng), Activations.relu(), Dropout.of(0.2, rng),
 *                           Linear.of(256, 10, rng));
 * }</pre>
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    private Sequential(List<Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) registerModule(Integer.toString(i), this.layers.get(i));
    }

    /** The given modules in order. */
    public static Sequential of(Module... modules) {
        return new Sequential(List.of(modules));
    }

    /** The given modules in order. */
    public static Sequential of(List<? extends Module> modules) {
        return new Sequential(List.copyOf(modules));
    }

    /** Number of modules. */
    public int size() {
        return layers.size();
    }

    /** The module at position {@code index} (its state dict prefix is {@code index + "."}). */
    public Module get(int index) {
        return layers.get(index);
    }

    /** The modules in order. */
    public List<Module> modules() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            // A ReLU straight into a max pool runs as one fused operation (Tensor.reluMaxPool2d):
            // the same values and gradients, without the ReLU's output, which nothing outside
            // this forward pass can see.
            // Likewise a convolution straight into that pair (Tensor.conv2dReluMaxPool2d): the
            // convolution's output is pooled while in cache, and never kept batch-sized when
            // cheaper to compute again in the backward pass.
            if (m instanceof Conv2d conv && i + 2 < layers.size() && layers.get(i + 1) instanceof ReLU
                    && layers.get(i + 2) instanceof MaxPool2d pool) {
                x = pool.forwardAfterConvRelu(conv, x);
                i += 2;
            } else if (m instanceof ReLU && i + 1 < layers.size() && layers.get(i + 1) instanceof MaxPool2d pool) {
                x = pool.forwardAfterRelu(x);
                i++;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }

    /** Keeps nothing of its own, so it keeps activations exactly when one of its modules does. */
    @Override
    public boolean keepsActivations() {
        for (Module m : layers) {
            if (m.keepsActivations()) return true;
        }
        return false;
    }
}
