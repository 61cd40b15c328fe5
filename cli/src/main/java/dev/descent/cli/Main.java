package dev.descent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code descent} command: dispatches to subcommands. */
@Command(name = "descent", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Deep-learning training and optimization on the JVM.",
        subcommands = {TrainCommand.class, TuneCommand.class, CompareCommand.class, PathsCommand.class, EvalCommand.class, PredictCommand.class, GenerateCommand.class, ExportCommand.class, DemoCommand.class, InfoCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Whether this JVM runs the command line itself ({@link #main}), so it may take over signals such as Ctrl-C. */
    static volatile boolean ownsProcess;

    public static void main(String[] args) {
        ownsProcess = true;
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (tests call this): 0 success, 1 training
     * failed, 2 bad configuration, data or arguments. Errors are one line on standard error.
     */
    public static int run(String... args) {
        // Streams are taken at each call so that tests may redirect System.out and System.err.
        CommandLine cl = new CommandLine(new Main())
                .setOut(new java.io.PrintWriter(System.out, true))
                .setErr(new java.io.PrintWriter(System.err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> Failures.handle(e, cmd))
                .setParameterExceptionHandler(Failures::badArguments);
        return cl.execute(args);
    }
}
