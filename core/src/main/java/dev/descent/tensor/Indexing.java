package dev.descent.tensor;

/** Placeholder until the indexing primitives land. */
final class Indexing {
    private Indexing() {}

    static Tensor gather(Tensor x, int dim, Tensor index) {
        throw new UnsupportedOperationException("gather is not implemented yet");
    }

    static Tensor indexSelect(Tensor x, int dim, int[] index) {
        throw new UnsupportedOperationException("indexSelect is not implemented yet");
    }

    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        throw new UnsupportedOperationException("scatterAdd is not implemented yet");
    }

    static Tensor oneHot(int[] labels, int numClasses) {
        throw new UnsupportedOperationException("oneHot is not implemented yet");
    }
}
