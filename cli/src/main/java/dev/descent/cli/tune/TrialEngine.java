package dev.descent.cli.tune;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Somewhere other than this JVM to train a study's trials: the {@code descent-spark} module's
 * engine ({@code descent tune --spark MASTER}), which runs each trial as a Spark task. The study,
 * its sampler and its database stay in this process; only the training travels. Found through
 * {@link ServiceLoader} like {@link dev.descent.cli.run.TrainingEngine}, so the CLI jar holds no
 * engine and depends on none.
 */
public interface TrialEngine {
    /** The engine's name, as the option that selects it ({@code spark}). */
    String name();

    /**
     * Connects to {@code master}; a master that cannot be reached or understood is a
     * {@link dev.descent.cli.config.ConfigException} naming it, thrown before anything is written.
     */
    Trials start(String master, String appName);

    /** A connected engine; close it when the study is done. */
    interface Trials extends AutoCloseable {
        /** How many trials it can train at once (the cluster's task slots). */
        int slots();

        /**
         * Trains one trial elsewhere and waits for it. The trial's own failure comes back in the
         * outcome; an exception here means the task itself was lost (its executor died), once,
         * without retries.
         */
        RemoteTrial.Outcome train(RemoteTrial trial) throws Exception;

        @Override
        void close();
    }

    /** The engine called {@code name} on the class path, if any. */
    static Optional<TrialEngine> find(String name) {
        for (TrialEngine e : ServiceLoader.load(TrialEngine.class)) {
            if (e.name().equals(name)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
