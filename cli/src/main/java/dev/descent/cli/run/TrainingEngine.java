package dev.descent.cli.run;

import dev.descent.cli.config.ConfigFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Somewhere other than this JVM to run {@code descent train}: the {@code descent-spark} module's
 * engine ({@code --spark MASTER}). Engines are found through {@link ServiceLoader}, so the CLI jar
 * holds none and depends on no engine; an engine appears when its jar and dependencies are on the
 * class path (the {@code ./descent} launcher puts them there on first use of {@code --spark}).
 */
public interface TrainingEngine {
    /** The engine's name, as the option that selects it ({@code spark}). */
    String name();

    /**
     * Runs the configuration's training on {@code master} and returns the outcome of the run as
     * {@link TrainingRun#run} would, having written the same run directory.
     *
     * @param tasks how many workers share each step, or null for the engine's default
     */
    TrainingRun.Outcome train(ConfigFile config, Path runDir, TrainingRun.Options options, String master, Integer tasks) throws IOException;

    /** The engine called {@code name} on the class path, if any. */
    static Optional<TrainingEngine> find(String name) {
        for (TrainingEngine e : ServiceLoader.load(TrainingEngine.class)) {
            if (e.name().equals(name)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
