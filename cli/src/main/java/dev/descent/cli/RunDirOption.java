package dev.descent.cli;

import dev.descent.cli.run.RunDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out DIR} of the commands that write one new run directory per config (compare, paths). */
public final class RunDirOption {
    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<config name>-<timestamp> next to the config).")
    Path out;

    /** The directory given, or a new timestamped one next to the config. */
    Path resolve(Path config) {
        return out != null ? out : RunDirectory.defaultFor(config);
    }
}
