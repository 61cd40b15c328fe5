package dev.descent.tensor;

/** A tensor operation was given shapes it cannot work with; the message names the op and the shapes. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
