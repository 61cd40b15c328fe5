package dev.descent.tensor;

/**
 * One recorded operation of the graph: the inputs it read and the rule that turns the gradient
 * of its output into gradients of its inputs (the vector-Jacobian product). Built by the
 * primitive ops only; users never create nodes.
 *
 * @param op       name of the primitive, shown in error messages and graph dumps
 * @param inputs   the operands, in order; entries that need no gradient may be null
 * @param backward the derivative rule
 */
record Node(String op, Tensor[] inputs, Backward backward) {

    /** A derivative rule: given dL/d(output), returns dL/d(input i) for each input (null where not needed). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }
}
