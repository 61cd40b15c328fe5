package dev.descent.fuzz;

/**
 * What every fuzz target checks of a refusal: a documented error (the loader's own exception
 * type, which the command line prints as is and exits 2 on) with a message of one non-blank line.
 * Any other exception escapes the target, and Jazzer reports it as a finding.
 */
final class Documented {
    private Documented() {}

    static void oneLine(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r")) {
            throw new AssertionError("a documented error must be one non-blank line, got: " + m, e);
        }
    }
}
