package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;

/** Vector facts, in a class of its own so that nothing touches the incubator module unless it is loaded. */
final class VectorInfo {
    private VectorInfo() {}

    static String describe() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        return lanes + " float lanes (" + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit)";
    }
}
