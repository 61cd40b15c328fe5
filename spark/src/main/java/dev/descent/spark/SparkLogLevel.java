package dev.descent.spark;

import dev.descent.cli.config.ConfigException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.spark.SparkConf;

/**
 * The level Spark, Hadoop and Jetty log at in Descent's driver: Spark's own {@code spark.log.level}
 * setting ({@code spark-submit --conf spark.log.level=INFO}, or the system property
 * {@code -Dspark.log.level=INFO}, which {@link SparkConf} reads), {@code WARN} when it is unset, as
 * spark-shell does; so a {@code --spark} run's console holds Descent's progress lines and errors,
 * as without {@code --spark}.
 *
 * <p>Spark applies {@code spark.log.level} itself only halfway through building its context, after
 * its first INFO lines (its version, the OS, the JVM); so Descent applies it to the root logger
 * before the context starts, and Spark applies the same level again. When nobody chose a log4j 2
 * configuration (log4j's built-in default, or Spark's default profile, which is INFO), an unset
 * {@code spark.log.level} becomes {@code WARN}, and Spark's default profile (console on stderr,
 * Jetty at WARN) is installed without Spark's "Using Spark's default log4j profile" line. A log4j 2
 * configuration of the user's own ({@code log4j2.properties} on the class path,
 * {@code -Dlog4j2.configurationFile}) is left as it is unless {@code spark.log.level} is set, which
 * overrides its root level, as in Spark. Without one, at {@code WARN}, Hadoop's NativeCodeLoader is at {@code ERROR}: its one
 * warning (no native Hadoop library for this platform) is printed by every run and says nothing
 * about a Descent run, which reads no Hadoop file system.
 */
final class SparkLogLevel {
    static final String KEY = "spark.log.level";
    private static final String DEFAULT = "WARN";
    /** Spark's accepted levels (SparkContext.setLogLevel), in any case. */
    private static final List<String> LEVELS = List.of("ALL", "DEBUG", "ERROR", "FATAL", "INFO", "OFF", "TRACE", "WARN");
    private static final String SPARK_PROFILE = "org/apache/spark/log4j2-defaults.properties";
    private static final String NATIVE_CODE_LOADER = "org.apache.hadoop.util.NativeCodeLoader";

    private SparkLogLevel() {}

    /**
     * Sets {@code spark.log.level} in {@code conf} (WARN unless given or a log4j 2 configuration of
     * the user's decides) and applies it to this JVM's log4j 2 before Spark logs.
     *
     * @throws ConfigException for a level Spark does not know
     */
    static SparkConf apply(SparkConf conf) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        boolean nobodyChose = context.getConfiguration() instanceof DefaultConfiguration || sparkProfile(context);
        if (!conf.contains(KEY)) {
            if (!nobodyChose) return conf;
            conf.set(KEY, DEFAULT);
        }
        String name = conf.get(KEY).strip().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(name)) {
            throw new ConfigException(KEY + ": must be one of " + String.join(", ", LEVELS) + ", got '" + conf.get(KEY) + "'");
        }
        conf.set(KEY, name);
        if (context.getConfiguration() instanceof DefaultConfiguration) {
            // Spark's own default profile, installed as Spark would on its first log line, but without its notice
            URL profile = SparkConf.class.getClassLoader().getResource(SPARK_PROFILE);
            if (profile != null) {
                try {
                    context.setConfigLocation(profile.toURI());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("Spark's log4j profile " + profile, e);
                }
            }
        }
        Level level = Level.valueOf(name);
        Configurator.setRootLevel(level);
        if (nobodyChose) Configurator.setLevel(NATIVE_CODE_LOADER, level == Level.WARN ? Level.ERROR : level);
        return conf;
    }

    /** Whether log4j 2 runs Spark's default profile (spark-submit installs it when Spark has no log4j2.properties). */
    private static boolean sparkProfile(LoggerContext context) {
        var source = context.getConfiguration().getConfigurationSource();
        String location = source.getURI() != null ? source.getURI().toString() : source.getLocation();
        return location != null && location.replace('\\', '/').contains("org/apache/spark/log4j2");
    }
}
