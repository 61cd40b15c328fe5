package dev.descent.cli;

import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.paths.PathsRun;
import dev.descent.cli.paths.PathsSpec;
import dev.descent.cli.report.PathsReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code descent paths PATHS.yaml}: draws the paths of several optimizers over a 2-D test function's contours. */
@Command(name = "paths", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Draw the paths optimizers take over a 2-D test function (rosenbrock, beale).")
public final class PathsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATHS.yaml", description = "Surfaces, start points and optimizers.")
    Path config;

    @Mixin
    RunDirOption out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ConfigFile cfg = ConfigFile.load(config, List.of());
        PathsSpec spec = PathsSpec.of(cfg);
        Path dir = out.resolve(config);
        PathsRun.run(spec, dir, Files.readString(config), System.out);
        System.out.println("paths: " + dir.resolve(PathsReport.HTML));
        return Failures.OK;
    }
}
