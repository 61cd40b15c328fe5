package dev.descent.cli;

import dev.descent.cli.config.ConfigException;
import dev.descent.tensor.kernel.Parallel;
import picocli.CommandLine.Option;

/** {@code --threads N}, shared by the commands that compute; results do not depend on it. */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: available processors). Results are the same for any N.")
    Integer threads;

    void apply() {
        if (threads == null) return;
        if (threads < 1) throw new ConfigException("--threads: must be at least 1, got " + threads);
        Parallel.setThreads(threads);
    }
}
