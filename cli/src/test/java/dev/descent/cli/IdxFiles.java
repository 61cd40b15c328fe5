package dev.descent.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files (MNIST's format) for tests: n square images of side x side bytes (magic 0x803)
 * and their labels (magic 0x801), image i labelled i mod classes. An images path ending in ".gz"
 * is gzipped (the loader reads both). Pixels come from one seeded generator, image by image, row
 * by row, so a test's data are the same on every run.
 */
final class IdxFiles {
    /** The value (0-255) of pixel (y, x) of an image of the given label. */
    interface Pixel {
        int value(int label, int y, int x, Random random);
    }

    private IdxFiles() {
    }

    /** Writes both files; returns the pixels, image by image (without the header). */
    static byte[] write(Path images, Path labels, int n, int side, int classes, long seed, Pixel pixel) throws IOException {
        Random r = new Random(seed);
        ByteArrayOutputStream img = new ByteArrayOutputStream(), lab = new ByteArrayOutputStream();
        DataOutputStream di = new DataOutputStream(img), dl = new DataOutputStream(lab);
        di.writeInt(0x00000803);
        di.writeInt(n);
        di.writeInt(side);
        di.writeInt(side);
        dl.writeInt(0x00000801);
        dl.writeInt(n);
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            dl.writeByte(label);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) di.writeByte(pixel.value(label, y, x, r));
            }
        }
        if (images.getFileName().toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(images))) {
                out.write(img.toByteArray());
            }
        } else {
            Files.write(images, img.toByteArray());
        }
        Files.write(labels, lab.toByteArray());
        byte[] all = img.toByteArray();
        return Arrays.copyOfRange(all, 16, all.length);
    }
}
