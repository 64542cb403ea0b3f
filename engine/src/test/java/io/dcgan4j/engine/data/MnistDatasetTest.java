package io.dcgan4j.engine.data;

import io.dcgan4j.engine.api.MnistDataset;
import static io.dcgan4j.engine.data.IdxReaderTest.assertMessage;
import static io.dcgan4j.engine.data.IdxTestFiles.writeImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dcgan4j.engine.Golden;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetTest {

    @TempDir
    Path dir;

    /** shared/data/mnist; the engine tests need shared/, so a missing folder fails rather than skips. */
    private static Path mnistDir() {
        Path mnist = Golden.sharedDir().resolve("data/mnist");
        if (!Files.isRegularFile(mnist.resolve("train-images-idx3-ubyte.gz"))) {
            fail("MNIST not found at " + mnist + "; the tests need the shared/ folder beside the repository"
                    + " (or mvn -Ddcgan4j.shared.dir=DIR)");
        }
        return mnist;
    }

    /** The first {@code n} images' raw pixels, read without the code under test. */
    private static byte[] rawPixels(Path gz, int n) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
             DataInputStream data = new DataInputStream(in)) {
            assertEquals(0x00000803, data.readInt());
            assertEquals(60000, data.readInt());
            assertEquals(28, data.readInt());
            assertEquals(28, data.readInt());
            byte[] pixels = new byte[n * 784];
            data.readFully(pixels);
            return pixels;
        }
    }

    @Test
    void firstTwoThousandMnistImages() throws IOException {
        Path mnist = mnistDir();
        MnistDataset data = MnistDataset.load(mnist, 2000);
        assertEquals(2000, data.count());
        assertEquals(mnist.resolve("train-images-idx3-ubyte.gz"), data.source());
        float[] images = data.images();
        assertEquals(2000 * 784, images.length);
        for (float v : images) {
            assertTrue(v >= -1f && v <= 1f, "value out of [-1,1]: " + v);
        }
        byte[] raw = rawPixels(data.source(), 2000);
        // Row 14, column 14 of the first image (a 5) is ink, so the check is not of a background -1.
        int spot = 14 * 28 + 14;
        int p = raw[spot] & 0xFF;
        assertTrue(p > 0, "pixel (14,14) of the first image is background: " + p);
        assertEquals((p - 127.5f) / 127.5f, images[spot]);
        for (int i = 0; i < raw.length; i++) {
            if (images[i] != ((raw[i] & 0xFF) - 127.5f) / 127.5f) {
                fail("pixel " + i + ": " + images[i] + " for raw " + (raw[i] & 0xFF));
            }
        }
    }

    @Test
    void allMnistImages() throws IOException {
        MnistDataset data = MnistDataset.load(mnistDir(), MnistDataset.ALL);
        assertEquals(60000, data.count());
        assertEquals(60000 * 784, data.images().length);
    }

    @Test
    void firstMnistLabels() throws IOException {
        Path labels = mnistDir().resolve("train-labels-idx1-ubyte.gz");
        assertArrayEquals(new byte[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, IdxReader.readLabels(labels, 10));
        assertEquals(60000, IdxReader.readLabels(labels).length);
    }

    @Test
    void preprocessesEveryByteValueExactly() throws IOException {
        byte[] pixels = IdxTestFiles.randomBytes(3 * 784, 20);
        for (int i = 0; i < 256; i++) {
            pixels[i] = (byte) i;
        }
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.idx(new int[] {3, 28, 28}, pixels));
        MnistDataset data = MnistDataset.load(dir, MnistDataset.ALL);
        float[] images = data.images();
        for (int i = 0; i < pixels.length; i++) {
            assertEquals(((pixels[i] & 0xFF) - 127.5f) / 127.5f, images[i]);
        }
        assertEquals(-1f, images[0]);
        assertEquals(1f, images[255]);
    }

    @Test
    void copyImage() throws IOException {
        writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 4, 28, 28, true, 21);
        MnistDataset data = MnistDataset.load(dir, MnistDataset.ALL);
        float[] dest = new float[3 + 784];
        data.copyImage(2, dest, 3);
        assertArrayEquals(Arrays.copyOfRange(data.images(), 2 * 784, 3 * 784), Arrays.copyOfRange(dest, 3, 787));
        assertThrows(IndexOutOfBoundsException.class, () -> data.copyImage(4, dest, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> data.copyImage(0, dest, 4));
    }

    @Test
    void findsEachStandardName() throws IOException {
        assertEquals(Optional.empty(), MnistDataset.findTrainImages(dir));
        for (String name : MnistDataset.TRAIN_IMAGE_NAMES.reversed()) {
            writeImages(dir.resolve(name), 1, 28, 28, name.endsWith(".gz"), 22);
            assertEquals(Optional.of(dir.resolve(name)), MnistDataset.findTrainImages(dir));
            assertEquals(dir.resolve(name), MnistDataset.load(dir, 1).source());
        }
    }

    @Test
    void imagesThatAreNot28By28() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte.gz");
        writeImages(file, 3, 32, 32, true, 23);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir, 2));
        assertMessage(e, file, "images are 32×32, the DCGAN needs 28×28");
    }

    @Test
    void fewerImagesThanAskedFor() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        writeImages(file, 20, 28, 28, false, 24);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistDataset.load(dir, 50));
        assertMessage(e, file, "asked for 50 samples but the file holds only 20");
        assertEquals(20, MnistDataset.load(dir, MnistDataset.ALL).count(), "ALL takes what there is");
        assertEquals(20, MnistDataset.load(dir, 20).count());
    }

    @Test
    void missingFolder() {
        Path missing = dir.resolve("no-such-folder");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistDataset.load(missing, 10));
        assertMessage(e, missing, "no such data folder");
        assertMessage(e, missing, "download the four MNIST files from a mirror such as "
                + "https://storage.googleapis.com/cvdf-datasets/mnist/ into " + missing);
    }

    @Test
    void folderWithoutTrainingImages() throws IOException {
        Files.writeString(dir.resolve("README"), "not MNIST");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistDataset.load(dir, 10));
        assertMessage(e, dir, "tried train-images-idx3-ubyte.gz, train-images-idx3-ubyte, train-images.idx3-ubyte");
        assertMessage(e, dir, "download the four MNIST files");
    }

    @Test
    void fileInsteadOfFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("mnist.txt"), "a file");
        FileSystemException e = assertThrows(FileSystemException.class, () -> MnistDataset.load(file, 10));
        assertMessage(e, file, "not a folder");
    }

    @Test
    void samplesMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> MnistDataset.load(dir, 0));
    }

    @Test
    void testAndTrainingSplitsComeWithTheirLabels() throws IOException {
        Path mnist = mnistDir();
        MnistDataset test = MnistDataset.loadLabelled(mnist, MnistDataset.Split.TEST, MnistDataset.ALL);
        assertEquals(10000, test.count());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(test.labels(), 10));
        MnistDataset train = MnistDataset.loadLabelled(mnist, MnistDataset.Split.TRAIN, 10);
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, train.labels());
        assertArrayEquals(MnistDataset.load(mnist, 10).images(), train.images());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MnistDataset.load(mnist, 10).labels());
        assertTrue(e.getMessage().contains("loadLabelled"), e.getMessage());
    }

    @Test
    void labelFilesMustExistHoldDigitsAndCoverTheImages() throws IOException {
        writeImages(dir.resolve("t10k-images-idx3-ubyte"), 3, 28, 28, false, 4);
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> MnistDataset.loadLabelled(dir, MnistDataset.Split.TEST, MnistDataset.ALL));
        assertTrue(missing.getMessage().contains("no MNIST test labels here"), missing.getMessage());

        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.idx(new int[] {2}, new byte[] {1, 2}));
        IdxFormatException shorter = assertThrows(IdxFormatException.class,
                () -> MnistDataset.loadLabelled(dir, MnistDataset.Split.TEST, MnistDataset.ALL));
        assertTrue(shorter.getMessage().contains("holds 2 labels for 3 images"), shorter.getMessage());

        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.idx(new int[] {3}, new byte[] {1, 12, 3}));
        IdxFormatException notDigit = assertThrows(IdxFormatException.class,
                () -> MnistDataset.loadLabelled(dir, MnistDataset.Split.TEST, MnistDataset.ALL));
        assertTrue(notDigit.getMessage().contains("label 12 of image 1"), notDigit.getMessage());

        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.idx(new int[] {3}, new byte[] {1, 9, 3}));
        assertArrayEquals(new int[] {1, 9, 3},
                MnistDataset.loadLabelled(dir, MnistDataset.Split.TEST, MnistDataset.ALL).labels());
    }
}
