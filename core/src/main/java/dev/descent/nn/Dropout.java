package dev.descent.nn;

import dev.descent.tensor.DType;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;

/**
 * Dropout (Srivastava, Hinton, Krizhevsky, Sutskever and Salakhutdinov, "Dropout: A Simple Way to
 * Prevent Neural Networks from Overfitting", JMLR 2014), as PyTorch's {@code nn.Dropout}: in
 * training mode every element is zeroed independently with probability {@code p} and the
 * survivors are scaled by {@code 1 / (1 - p)} ("inverted dropout"), so the expected output equals
 * the input and evaluation needs no rescaling:
 *
 * <pre>
 * y = x * m / (1 - p),   m ~ Bernoulli(1 - p) elementwise      (training)
 * y = x                                                         (evaluation)
 * </pre>
 *
 * The gradient is {@code m / (1 - p)} times the output gradient. It is a regularization layer: it
 * keeps units from co-adapting by training a random thinned network at every step.
 *
 * <p>Masks come from an explicit {@link Generator}, never a global one: give it at construction
 * ({@link #of(double, Generator)}), later ({@link Module#setGenerator}, which a trainer uses to
 * give one seeded generator to the whole model), or per call ({@link #forward(Tensor, Generator)}).
 * Element {@code i} (row-major) is kept when the generator's {@code i}-th {@code nextDouble()} is
 * at least {@code p}, so the same generator state gives the same mask.
 */
public final class Dropout extends Module {
    private final double p;
    private Generator generator;

    private Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        this.p = p;
        this.generator = generator;
    }

    /** Dropout with probability {@code p}; it needs a generator (see {@link Module#setGenerator}) before training. */
    public static Dropout of(double p) {
        return new Dropout(p, null);
    }

    /** Dropout with probability {@code p}, masks drawn from {@code generator}. */
    public static Dropout of(double p, Generator generator) {
        return new Dropout(p, generator);
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    protected void useGenerator(Generator g) {
        this.generator = g;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) return input;
        if (generator == null) {
            throw new IllegalStateException("Dropout(p=" + p + ") in training mode has no generator: create it with Dropout.of(p, generator),"
                    + " call model.setGenerator(generator), or use forward(input, generator)");
        }
        return forward(input, generator);
    }

    /** Forward with masks drawn from {@code gen} (identity in evaluation mode, drawing nothing). */
    public Tensor forward(Tensor input, Generator gen) {
        if (!isTraining() || p == 0) return input;
        int n = input.numel();
        double scale = p == 1 ? 0 : 1 / (1 - p);
        Tensor mask;
        if (input.dtype() == DType.F32) {
            float[] m = new float[n];
            for (int i = 0; i < n; i++) m[i] = gen.nextDouble() >= p ? (float) scale : 0f;
            mask = Tensor.of(m, input.shape());
        } else {
            double[] m = new double[n];
            for (int i = 0; i < n; i++) m[i] = gen.nextDouble() >= p ? scale : 0;
            mask = Tensor.of(m, input.shape());
        }
        return input.mul(mask);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
