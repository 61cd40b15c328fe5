package dev.descent.spark;

import dev.descent.cli.config.ConfigException;
import dev.descent.cli.tune.RemoteTrial;
import dev.descent.cli.tune.TrialEngine;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * {@code descent tune RUN.yaml --spark MASTER}: each trial as one Spark job of one task, which
 * trains it on an executor ({@link RemoteTrial#train}) with that executor's threads and sends
 * back its reports and value; the study, its sampler and its database stay on the driver, whose
 * worker threads (at most the slots Spark offers) each wait for their trial's job. This is
 * Hyperopt's SparkTrials model with two of its defaults changed: {@code spark.task.maxFailures}
 * is 1, so a trial whose task dies fails once (and {@code retry_failed} decides whether it runs
 * again) instead of being run four times, and the parallelism is capped at the slots.
 */
public final class SparkTrialEngine implements TrialEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Trials start(String master, String appName) {
        try {
            MasterCheck.reachable(master);   // Spark itself would try for a minute, 20 s apart
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--spark: " + e.getMessage());
        }
        SparkConf conf = SparkTrainingEngine.withOwnJar(SparkSessions.conf(master, appName), master).set("spark.task.maxFailures", "1");
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (Exception e) { // Spark throws its checked SparkException undeclared (e.g. a master URL it cannot parse)
            throw new ConfigException("--spark: cannot start Spark on '" + master + "': " + firstLine(e.getMessage()));
        }
        return new SparkTrials(sc);
    }

    /** The trials of one study on one Spark context. */
    static final class SparkTrials implements Trials {
        private final JavaSparkContext sc;

        SparkTrials(JavaSparkContext sc) {
            this.sc = sc;
        }

        @Override
        public int slots() {
            return Math.max(1, sc.defaultParallelism());
        }

        @Override
        public RemoteTrial.Outcome train(RemoteTrial trial) {
            return once(trial, RemoteTrial::train);
        }

        /** {@code task(input)} as the one task of one job, tried once. */
        <T, R> R once(T input, Function<T, R> task) {
            try {
                return sc.parallelize(List.of(input), 1).map(task).collect().getFirst();
            } catch (Exception e) {
                // a SparkException (checked, thrown through Scala); its message carries the executor's stack trace, the study records
                // the first line
                throw new IllegalStateException("spark task lost: " + firstLine(e.getMessage()), e);
            }
        }

        /** A setting of the context, for tests. */
        String conf(String key) {
            return sc.getConf().get(key);
        }

        @Override
        public void close() {
            sc.close();
        }
    }

    /** The first line with text (Spark's job failures start with an empty one). */
    private static String firstLine(String message) {
        return message == null ? "no message" : message.strip().lines().findFirst().orElse("no message");
    }
}
