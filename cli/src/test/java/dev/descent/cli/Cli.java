package dev.descent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Runs {@link Main#run} in-process with standard output and error captured. */
final class Cli {
    record Result(int code, String out, String err) {
        /** Standard error without the JVM's own notes. */
        String errorLines() {
            return err.lines().filter(l -> !l.startsWith("WARNING:")).reduce("", (a, b) -> a.isEmpty() ? b : a + "\n" + b);
        }
    }

    private Cli() {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Copies the contract fixture (train.csv, test.csv, init.safetensors) into {@code dir}. */
    static void copyFixture(Path dir) throws IOException {
        for (String f : new String[] {"train.csv", "test.csv", "init.safetensors"}) {
            try (InputStream in = Cli.class.getResourceAsStream("/e2e/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The contract configuration of the issue, verbatim (src/test/resources/e2e/contract.yaml). */
    static final String CONTRACT = resource("/e2e/contract.yaml");

    /** The contract without schedule and clipping: PyTorch's reference run (sgd_momentum.json). */
    static final String REFERENCE = CONTRACT.replace("schedule: {name: cosine, T_max: 60, eta_min: 0.0}\n", "")
            .replace(", clip_grad_norm: 1.0", "");

    private static String resource(String name) {
        try (InputStream in = Cli.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
