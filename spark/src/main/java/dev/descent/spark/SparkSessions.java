package dev.descent.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark configuration Descent runs with: the UI off, the driver bound to the loopback
 * interface for {@code local[N]}, and a barrier stage with more tasks than slots failing at once
 * in local mode (Spark's default retries the check for minutes) and after a minute on a cluster,
 * whose executors may still be registering. Every Spark context Descent starts gets its
 * configuration here, so this is also where Spark's log level is set ({@link SparkLogLevel}:
 * {@code spark.log.level}, WARN by default).
 */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * A configuration for {@code master} (e.g. {@code local[2]}, {@code spark://host:7077}), with
     * {@code spark.log.level} applied to this JVM's logging before Spark logs anything.
     */
    public static SparkConf conf(String master, String appName) {
        boolean local = master.startsWith("local");
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.ui.enabled", "false")
                // local: the slots are there or not; a cluster: give executors a minute to register
                .set("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", local ? "1" : "60")
                .set("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
        if (local) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return SparkLogLevel.apply(conf);
    }

    /** A context for {@code master}; close it when done. */
    public static JavaSparkContext start(String master, String appName) {
        return new JavaSparkContext(conf(master, appName));
    }
}
