package dev.descent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code descent} command: dispatches to subcommands. */
@Command(name = "descent", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Deep-learning training and optimization on the JVM.",
        subcommands = {InfoCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
