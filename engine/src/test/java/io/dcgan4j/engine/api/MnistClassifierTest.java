package io.dcgan4j.engine.api;

import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.checkpoint.Safetensors;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MnistClassifier}: learning on a small fixed set, determinism, and its file. */
class MnistClassifierTest {

    private static final ClassifierOptions SMALL = new ClassifierOptions(3, 64, 1e-3f, 512, 3);
    private static Path mnist;
    private static MnistDataset test;

    @BeforeAll
    static void data() throws IOException {
        mnist = Golden.sharedDir().resolve("data/mnist");
        test = MnistDataset.loadLabelled(mnist, MnistDataset.Split.TEST, 300);
    }

    @Test
    void learnsDeterministicallyOnAFixedSmallSet() throws IOException {
        List<Double> losses = new ArrayList<>();
        float[][] probabilities = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (MnistClassifier c = MnistClassifier.train(mnist, SMALL, Device.cpu(run + 1),
                    (epoch, epochs, loss, nanos) -> losses.add(loss))) {
                probabilities[run] = c.probabilities(test.images(), test.count());
                assertTrue(c.testAccuracy() > 0.5, "test accuracy " + c.testAccuracy() + " after 512 images (chance: 0.1)");
            }
        }
        assertTrue(losses.get(2) < 0.5 * losses.get(0), "the loss should fall: " + losses);
        assertEquals(losses.subList(0, 3), losses.subList(3, 6), "same seed, 1 and 2 threads: same losses");
        assertArrayEquals(probabilities[0], probabilities[1], "same seed: same classifier");
    }

    @Test
    void aSavedClassifierLoadsIdentical(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/c.safetensors");
        ClassifierOptions quick = SMALL.withEpochs(1).withSamples(128);
        try (MnistClassifier c = MnistClassifier.train(mnist, quick, Device.cpu(2), MnistClassifier.Progress.NONE)) {
            c.save(file);
            try (MnistClassifier back = MnistClassifier.load(file, Device.cpu(1))) {
                assertArrayEquals(c.features(test.images(), 20), back.features(test.images(), 20));
                assertEquals(c.testAccuracy(), back.testAccuracy());
                assertEquals(quick, back.options());
                assertEquals(MnistClassifier.trainingDataSha256(mnist), back.dataSha256());
            }
            float[] p = c.probabilities(test.images(), 7);
            for (int i = 0; i < 7; i++) {
                double sum = 0;
                for (int j = 0; j < 10; j++) {
                    sum += p[i * 10 + j];
                }
                assertEquals(1, sum, 1e-5);
            }
        }
    }

    @Test
    void refusesFilesThatAreNotItsClassifier(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        try (MnistClassifier c = MnistClassifier.train(mnist, SMALL.withEpochs(1).withSamples(64), Device.cpu(1),
                MnistClassifier.Progress.NONE)) {
            c.save(file);
        }
        Safetensors.Contents good = Safetensors.read(file);

        Map<String, String> otherFormat = new LinkedHashMap<>(good.metadata());
        otherFormat.put("format", "dcgan4j-checkpoint");
        assertRejected(dir, good.tensors(), otherFormat, "not a dcgan4j MNIST classifier");

        Map<String, String> newer = new LinkedHashMap<>(good.metadata());
        newer.put("format_version", "2");
        assertRejected(dir, good.tensors(), newer, "format version 2");

        Map<String, Entry> missing = new LinkedHashMap<>(good.tensors());
        missing.remove("c_dense2_bias");
        assertRejected(dir, missing, good.metadata(), "'c_dense2_bias' is missing");

        Map<String, Entry> misshapen = new LinkedHashMap<>(good.tensors());
        misshapen.put("c_dense2_bias", new Entry(new int[] {11}, new float[11]));
        assertRejected(dir, misshapen, good.metadata(), "has shape [11]");

        Map<String, Entry> extra = new LinkedHashMap<>(good.tensors());
        extra.put("c_dense3_kernel", new Entry(new int[] {1}, new float[1]));
        assertRejected(dir, extra, good.metadata(), "unexpected tensor 'c_dense3_kernel'");
    }

    private static void assertRejected(Path dir, Map<String, Entry> tensors, Map<String, String> meta, String text)
            throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Safetensors.write(ch, tensors, meta);
        }
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> MnistClassifier.load(bad, Device.cpu(1)).close());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
