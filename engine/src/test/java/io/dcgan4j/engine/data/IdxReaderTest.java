package io.dcgan4j.engine.data;

import static io.dcgan4j.engine.data.IdxTestFiles.gzip;
import static io.dcgan4j.engine.data.IdxTestFiles.idx;
import static io.dcgan4j.engine.data.IdxTestFiles.randomBytes;
import static io.dcgan4j.engine.data.IdxTestFiles.write;
import static io.dcgan4j.engine.data.IdxTestFiles.writeImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    // ---- good files

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsNonSquareImages(boolean gzip) throws IOException {
        Path file = dir.resolve("images");
        byte[] pixels = writeImages(file, 3, 5, 7, gzip, 1);
        IdxImages images = IdxReader.readImages(file);
        assertEquals(3, images.count());
        assertEquals(5, images.rows());
        assertEquals(7, images.columns());
        assertArrayEquals(pixels, images.pixels());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsMnistSizedImages(boolean gzip) throws IOException {
        Path file = dir.resolve("images");
        byte[] pixels = writeImages(file, 40, 28, 28, gzip, 2);
        IdxImages images = IdxReader.readImages(file);
        assertEquals(new IdxImages(40, 28, 28, images.pixels()), images);
        assertArrayEquals(pixels, images.pixels());
    }

    /** Over a MiB of gzip data, so the reader's buffer has to grow. */
    @Test
    void readsGzipLargerThanFirstChunk() throws IOException {
        Path file = dir.resolve("images.gz");
        byte[] pixels = writeImages(file, 3000, 28, 28, true, 3);
        assertArrayEquals(pixels, IdxReader.readImages(file).pixels());
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        Path gzipNamedRaw = dir.resolve("raw.idx3-ubyte.gz");
        Path rawNamedGzip = dir.resolve("gzip.idx3-ubyte");
        byte[] a = writeImages(gzipNamedRaw, 2, 4, 4, false, 4);
        byte[] b = writeImages(rawNamedGzip, 2, 4, 4, true, 5);
        assertArrayEquals(a, IdxReader.readImages(gzipNamedRaw).pixels());
        assertArrayEquals(b, IdxReader.readImages(rawNamedGzip).pixels());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void limitReadsTheLeadingImages(boolean gzip) throws IOException {
        Path file = dir.resolve("images");
        byte[] pixels = writeImages(file, 10, 5, 7, gzip, 6);
        IdxImages four = IdxReader.readImages(file, 4);
        assertEquals(4, four.count());
        assertArrayEquals(Arrays.copyOf(pixels, 4 * 35), four.pixels());
        IdxImages all = IdxReader.readImages(file, 25);
        assertEquals(10, all.count(), "a limit above the count returns every image");
        assertArrayEquals(pixels, all.pixels());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void limitStillChecksTheWholeFile(boolean gzip) throws IOException {
        Path file = dir.resolve("images");
        byte[] pixels = randomBytes(10 * 9, 7);
        byte[] content = idx(new int[] {10, 3, 3}, Arrays.copyOf(pixels, 5 * 9));
        write(file, gzip ? gzip(content) : content);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file, 2));
        assertMessage(e, file, "header says 10 images of 3×3 (90 bytes) but the data ends after 45 bytes");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsLabels(boolean gzip) throws IOException {
        Path file = dir.resolve("labels");
        byte[] labels = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4, (byte) 200};
        byte[] content = idx(new int[] {labels.length}, labels);
        write(file, gzip ? gzip(content) : content);
        assertArrayEquals(labels, IdxReader.readLabels(file), "values above 9 are not checked");
        assertArrayEquals(new byte[] {5, 0, 4}, IdxReader.readLabels(file, 3));
    }

    @Test
    void limitMustBePositive() throws IOException {
        Path file = dir.resolve("images");
        writeImages(file, 2, 2, 2, false, 8);
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(file, 0));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(file, -1));
    }

    // ---- missing and broken files

    @Test
    void missingFile() {
        Path file = dir.resolve("nothing-here.gz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, ": no such file");
    }

    @Test
    void directoryInsteadOfFile() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> IdxReader.readImages(dir));
        assertMessage(e, dir, "is a directory");
    }

    @Test
    void emptyFile() throws IOException {
        Path raw = write(dir.resolve("empty"), new byte[0]);
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(raw)), raw, "empty file");
        Path gz = write(dir.resolve("empty.gz"), gzip(new byte[0]));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(gz)), gz, "empty file");
    }

    @Test
    void badMagic() throws IOException {
        byte[] content = idx(new int[] {1, 2, 2}, new byte[4]);
        content[1] = 0x42;
        Path file = write(dir.resolve("bad-magic"), content);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "bad magic number 0x00420803");
    }

    @Test
    void notUnsignedBytes() throws IOException {
        Path file = write(dir.resolve("floats"), idx(0x0D, new int[] {1, 1, 1}, new byte[4]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "IDX data type 0x0D (float), only 0x08 (unsigned byte) is supported");
    }

    @Test
    void labelFileWhereImagesAreExpected() throws IOException {
        Path file = write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(new int[] {3}, new byte[3])));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "is an IDX label file (1 dimension), expected images (3 dimensions)");
    }

    @Test
    void imageFileWhereLabelsAreExpected() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        writeImages(file, 2, 28, 28, false, 9);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(file));
        assertMessage(e, file, "is an IDX image file (3 dimensions), expected labels (1 dimension)");
    }

    @Test
    void otherDimensionCount() throws IOException {
        Path file = write(dir.resolve("matrix"), idx(new int[] {2, 2}, new byte[4]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "is an IDX file with 2 dimensions, expected images (3 dimensions)");
    }

    @Test
    void zeroDimension() throws IOException {
        Path file = write(dir.resolve("zero-rows"), idx(new int[] {5, 0, 28}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "number of rows is 0");
        Path labels = write(dir.resolve("zero-labels"), idx(new int[] {0}, new byte[0]));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(labels)), labels,
                "number of labels is 0");
    }

    @Test
    void negativeDimension() throws IOException {
        Path file = write(dir.resolve("negative"), idx(new int[] {-1, 28, 28}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "number of images is 4294967295 (negative as a signed 32-bit integer)");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedHeader(boolean gzip) throws IOException {
        byte[] header = Arrays.copyOf(idx(new int[] {60000, 28, 28}, new byte[0]), 10);
        Path file = write(dir.resolve("short-header"), gzip ? gzip(header) : header);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "truncated header");
        assertMessage(e, file, "ends after 10 bytes");
        Path tiny = write(dir.resolve("three-bytes"), new byte[] {0, 0, 8});
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(tiny)), tiny,
                "truncated header");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedData(boolean gzip) throws IOException {
        byte[] content = idx(new int[] {60000, 28, 28}, randomBytes(123, 10));
        Path file = write(dir.resolve("train-images-idx3-ubyte"), gzip ? gzip(content) : content);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "header says 60000 images of 28×28 (47040000 bytes) but the data ends after 123 bytes");
        IdxFormatException limited = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file, 2));
        assertMessage(limited, file, "header says 60000 images of 28×28 (47040000 bytes) but the data ends after 123 bytes");
    }

    @Test
    void truncatedLabels() throws IOException {
        Path file = write(dir.resolve("labels"), idx(new int[] {10}, new byte[4]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(file));
        assertMessage(e, file, "header says 10 labels (10 bytes) but the data ends after 4 bytes");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void trailingBytes(boolean gzip) throws IOException {
        byte[] content = idx(new int[] {2, 3, 3}, randomBytes(18 + 5, 11));
        Path file = write(dir.resolve("long"), gzip ? gzip(content) : content);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "header says 2 images of 3×3 (18 bytes) but 5 trailing bytes follow the data");
        IdxFormatException limited = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file, 1));
        assertMessage(limited, file, "header says 2 images of 3×3 (18 bytes) but 5 trailing bytes follow the data");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzip(idx(new int[] {50, 28, 28}, randomBytes(50 * 784, 12)));
        for (int i = gz.length / 2; i < gz.length / 2 + 8; i++) {
            gz[i] ^= (byte) 0x5A;
        }
        Path file = write(dir.resolve("corrupt.gz"), gz);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "corrupt gzip stream");
        assertTrue(e.getCause() instanceof java.util.zip.ZipException, "cause: " + e.getCause());
    }

    @Test
    void corruptDeflateData() throws IOException {
        // Compressible content makes Huffman-coded blocks, where flipped bits break the stream itself.
        byte[] gz = gzip(idx(new int[] {50, 28, 28}, new byte[50 * 784]));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= (byte) 0xFF;
        }
        Path file = write(dir.resolve("corrupt-deflate.gz"), gz);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "gzip stream");
        assertTrue(e.getCause() != null, "keeps the cause");
    }

    @Test
    void gzipCutShort() throws IOException {
        byte[] gz = gzip(idx(new int[] {50, 28, 28}, randomBytes(50 * 784, 13)));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "truncated gzip stream");
        Path magicOnly = write(dir.resolve("magic-only.gz"), new byte[] {0x1f, (byte) 0x8b});
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(magicOnly)), magicOnly,
                "gzip stream");
    }

    /**
     * A tiny file whose header claims about 2 GB of pixels must fail at once, without allocating the claimed size:
     * the thread's allocation is measured, so this holds whatever the heap limit is.
     */
    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void hugeClaimInTinyFileAllocatesNothingLikeIt(boolean gzip) throws IOException {
        int count = IdxReader.MAX_ARRAY_LENGTH / 784;
        byte[] content = idx(new int[] {count, 28, 28}, randomBytes(1000, 14));
        Path file = write(dir.resolve("liar"), gzip ? gzip(content) : content);
        long before = allocatedBytes();
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        long allocated = allocatedBytes() - before;
        assertMessage(e, file, "(" + (long) count * 784 + " bytes) but the data ends after 1000 bytes");
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes for a file of " + content.length);
    }

    @Test
    void claimBeyondAnyArray() throws IOException {
        int max = Integer.MAX_VALUE;
        Path file = write(dir.resolve("enormous"), idx(new int[] {max, max, max}, new byte[10]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "more than a Java array can hold");
        Path labels = write(dir.resolve("enormous-labels.gz"), gzip(idx(new int[] {max}, new byte[10])));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(labels)), labels,
                "more than a Java array can hold");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static void assertMessage(Exception e, Path file, String phrase) {
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "message does not name " + file + ": " + message);
        assertTrue(message.contains(phrase), "message lacks \"" + phrase + "\": " + message);
    }
}
