package dev.descent.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A real Spark standalone cluster on the loopback interface, started from the test's class path:
 * a Master and two Workers (1 core, 1 GB each) as child JVMs, the way the probe ran one without a
 * Spark distribution. A temporary SPARK_HOME holds {@code jars/} with links to the class path's
 * jars (the Workers build executor class paths from it); class directories (this build's
 * {@code target/classes}) reach the executors through {@code spark.executor.extraClassPath}.
 * Processes are stopped by their own handles.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Path masterLog;
    final String url;
    final String classDirectories;

    private StandaloneCluster(Path home, int port) {
        this.home = home;
        this.masterLog = home.resolve("master.log");
        this.url = "spark://127.0.0.1:" + port;
        List<String> dirs = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) dirs.add(entry);
        }
        this.classDirectories = String.join(File.pathSeparator, dirs);
    }

    static StandaloneCluster start(Path home, int workerCount) throws IOException, InterruptedException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        // a RELEASE file makes Spark's launcher take jars/ as is (otherwise it looks for a source build)
        Files.writeString(home.resolve("RELEASE"), "Spark 4.2.0 (the test class path)\n");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        // the daemons log at INFO (the lines waited for below); the tests' own configuration keeps warnings only
        Files.writeString(home.resolve("log4j2.properties"), String.join("\n", "rootLogger.level = info",
                "rootLogger.appenderRef.stdout.ref = console", "appender.console.type = Console", "appender.console.name = console",
                "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n", ""));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StandaloneCluster c = new StandaloneCluster(home, port);
        try {
            c.processes.add(c.launch("org.apache.spark.deploy.master.Master", c.masterLog,
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0"));
            c.waitFor(c.masterLog, "I have been elected leader", 1, 60);
            for (int w = 0; w < workerCount; w++) {
                Path dir = Files.createDirectories(home.resolve("worker-" + w));
                Process p = c.launch("org.apache.spark.deploy.worker.Worker", home.resolve("worker-" + w + ".log"),
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir", dir.toString(), c.url);
                c.processes.add(p);
                c.workers.add(p);
            }
            c.waitFor(c.masterLog, "Registering worker", workerCount, 90);
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private Process launch(String mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("descent.spark.jvmFlags", "").trim().split("\\s+")));
        cmd.add("-Xmx256m");
        cmd.add("-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // else the launcher looks for a source build's directories
        pb.environment().put("SPARK_LOG_DIR", home.toString());
        return pb.start();
    }

    /** Waits until {@code log} holds {@code count} lines containing {@code text}. */
    private void waitFor(Path log, String text, int count, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() >= count) return;
            for (Process p : processes) {
                if (!p.isAlive()) throw new IllegalStateException("a cluster process exited; see " + home);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("'" + text + "' x" + count + " not in " + log + " after " + seconds + " s");
    }

    /** The executor JVM a worker started (a child of the worker process), if one is running. */
    Optional<ProcessHandle> executorOf(int worker) {
        return workers.get(worker).toHandle().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).findFirst();
    }

    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
