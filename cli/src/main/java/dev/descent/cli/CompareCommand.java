package dev.descent.cli;

import dev.descent.cli.compare.Comparison;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.report.CompareReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code descent compare RUN.yaml}: trains each variant of the config's {@code compare:} section
 * from the same initial weights and writes a table and overlay charts. Diverging variants are a
 * result, not a failure: the exit code is 0 once the comparison is written.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train the variants of a config's compare: section from the same initial weights and compare them.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN.yaml", description = "The run configuration, with a compare: section.")
    Path config;

    @Mixin
    RunDirOption out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ConfigFile cfg = ConfigFile.load(config, List.of());
        Path dir = out.resolve(config);
        if (Files.exists(dir.resolve(CompareReport.HTML))) {
            throw new dev.descent.cli.config.ConfigException(dir + ": already holds a comparison (compare.html); choose another --out");
        }
        Comparison.run(cfg, dir, System.out);
        System.out.println("comparison: " + dir.resolve(CompareReport.HTML));
        return Failures.OK;
    }
}
