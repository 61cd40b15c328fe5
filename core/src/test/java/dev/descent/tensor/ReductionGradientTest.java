package dev.descent.tensor;

import org.junit.jupiter.api.Test;

/** Finite-difference checks of the reductions, over leading, trailing, middle and several dimensions. */
class ReductionGradientTest {
    private final Generator gen = Generator.seeded(21);

    private Tensor x(int... shape) {
        return GradCheck.randn(gen, shape);
    }

    @Test void sumAll() { GradCheck.check("sum", in -> in[0].sum(), x(3, 7)); }
    @Test void sumLast() { GradCheck.check("sum -1", in -> in[0].sum(-1, false), x(3, 17)); }
    @Test void sumFirstKeep() { GradCheck.check("sum 0 keep", in -> in[0].sum(0, true), x(5, 9)); }
    @Test void sumMiddle() { GradCheck.check("sum 1", in -> in[0].sum(1, false), x(2, 3, 5)); }
    @Test void sumSeveral() { GradCheck.check("sum 0,2", in -> in[0].sum(new int[] {0, 2}, false), x(2, 3, 5)); }
    @Test void meanKeep() { GradCheck.check("mean", in -> in[0].mean(new int[] {0, 2, 3}, true), x(2, 3, 2, 2)); }
    @Test void varUnbiased() { GradCheck.check("var", in -> in[0].var(new int[] {1}, 1, false), x(4, 6)); }
    @Test void varPopulation() { GradCheck.check("var pop", in -> in[0].var(new int[] {0}, 0, true), x(5, 3)); }
    @Test void maxDim() { GradCheck.check("max", in -> in[0].max(1, false), x(4, 7)); }
    @Test void maxFirstDim() { GradCheck.check("max 0", in -> in[0].max(0, true), x(4, 3, 2)); }
    @Test void maxAll() { GradCheck.check("max all", in -> in[0].max(), x(3, 5)); }
    @Test void logsumexp() { GradCheck.check("logsumexp", in -> in[0].logsumexp(1, false), x(3, 7)); }
    @Test void softmax() { GradCheck.check("softmax", in -> in[0].softmax(-1), x(4, 5)); }
    @Test void softmaxDim0() { GradCheck.check("softmax 0", in -> in[0].softmax(0), x(4, 5)); }
    @Test void logSoftmax() { GradCheck.check("log_softmax", in -> in[0].logSoftmax(1), x(2, 3, 4)); }
    @Test void oneElement() { GradCheck.check("sum of [1]", in -> in[0].sum(0, false), x(1)); }
}
