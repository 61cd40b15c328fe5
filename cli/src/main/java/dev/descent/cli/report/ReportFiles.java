package dev.descent.cli.report;

import dev.descent.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report file with {@link AtomicFiles}, creating its directory; a failure is a {@link ReportException} naming the file. */
final class ReportFiles {
    private ReportFiles() {}

    static void write(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            AtomicFiles.write(target, bytes);
        } catch (IOException e) {
            throw new ReportException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
