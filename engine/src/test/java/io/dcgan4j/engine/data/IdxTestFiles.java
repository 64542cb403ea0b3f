package io.dcgan4j.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte for the tests, good ones and broken ones. */
final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** An IDX file: magic {@code 00 00 type dims.length}, the big-endian sizes, then {@code data}. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    /** An unsigned-byte IDX file. */
    static byte[] idx(int[] dims, byte[] data) {
        return idx(0x08, dims, data);
    }

    /** {@code n} random bytes covering 0–255. */
    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        return Files.write(file, content);
    }

    /** A file of {@code count} images of {@code rows}×{@code columns} random pixels; returns the pixels. */
    static byte[] writeImages(Path file, int count, int rows, int columns, boolean gzip, long seed)
            throws IOException {
        byte[] pixels = randomBytes(count * rows * columns, seed);
        byte[] content = idx(new int[] {count, rows, columns}, pixels);
        write(file, gzip ? gzip(content) : content);
        return pixels;
    }
}
