package dev.descent.spark;

import dev.descent.cli.Main;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class for {@code spark-submit}: the Descent command line, with {@code --spark} set to
 * the master spark-submit was given (its {@code spark.master} system property) when the command
 * line does not name one:
 *
 * <pre>
 * spark-submit --master spark://host:7077 --class dev.descent.spark.SparkMain descent-spark.jar train RUN.yaml
 * </pre>
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(List.of(args));
        String master = System.getProperty("spark.master");
        if (!all.isEmpty() && (all.getFirst().equals("train") || all.getFirst().equals("tune")) && !all.contains("--spark") && master != null) {
            all.add("--spark");
            all.add(master);
        }
        Main.main(all.toArray(String[]::new));
    }
}
