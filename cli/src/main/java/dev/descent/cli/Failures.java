package dev.descent.cli;

import dev.descent.cli.config.ConfigException;
import dev.descent.data.DataException;
import dev.descent.io.MalformedFileException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns whatever a command throws into one line on standard error and an exit code, never a stack
 * trace: 2 when the input is at fault (configuration, data, a malformed file, a bad option), 1
 * when training or writing failed, 0 is success.
 */
public final class Failures {
    public static final int OK = 0;
    public static final int TRAINING_FAILED = 1;
    public static final int BAD_INPUT = 2;

    private Failures() {}

    /** Training ended without completing (non-finite loss with the stop policy, a callback error). */
    public static final class TrainingFailed extends RuntimeException {
        public TrainingFailed(String message) {
            super(message);
        }
    }

    /** picocli's handler for exceptions thrown by a command. */
    static int handle(Exception e, CommandLine cmd) {
        Throwable t = e;
        // Unwrap only wrappers that add nothing a person needs.
        while (t.getCause() != null && (t instanceof UncheckedIOException || t instanceof CommandLine.ExecutionException)) t = t.getCause();
        PrintWriter err = cmd.getErr();
        err.println(qualified(cmd) + ": " + (t instanceof TrainingFailed ? "" : "error: ") + oneLine(t));
        err.flush();
        return exitCode(t);
    }

    static int exitCode(Throwable t) {
        if (t instanceof ConfigException || t instanceof DataException || t instanceof MalformedFileException || t instanceof NoSuchFileException) {
            return BAD_INPUT;
        }
        return TRAINING_FAILED;
    }

    /** The message on one line (state-dict errors list problems on several). */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (t instanceof NoSuchFileException) m = t.getMessage() + ": file not found";
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        return m.strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
    }

    /** picocli's handler for bad command lines: one line, the nearest option named, exit 2. */
    static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String msg = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            msg += "; did you mean '" + u.getSuggestions().get(0) + "'?";
        }
        cmd.getErr().println(qualified(cmd) + ": " + oneLine(new RuntimeException(msg)) + " (see '" + qualified(cmd) + " --help')");
        cmd.getErr().flush();
        return BAD_INPUT;
    }

    private static String qualified(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName() : qualified(cmd.getParent()) + " " + cmd.getCommandName();
    }
}
