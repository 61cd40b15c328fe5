package dev.descent.search;

/** Thrown by a sampler with a finite set of points (the grid) once every point has been handed out. */
public final class SearchExhaustedException extends RuntimeException {
    public SearchExhaustedException(String message) {
        super(message);
    }
}
