package io.dcgan4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcgan4j.engine.api.ClassifierOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code train-classifier}, {@code eval} and {@code train --eval-every} end to end, on a tiny MNIST folder cut from
 * the real files (512 training and 200 test images) so that even the default classifier trains in seconds.
 */
class EvalCommandTest {

    @TempDir
    static Path tiny;

    @BeforeAll
    static void tinyMnist() throws IOException {
        Path mnist = CommandLineTest.mnist();
        assumeTrue(Files.isDirectory(mnist), "no MNIST at " + mnist);
        for (String split : List.of("train", "t10k")) {
            int n = split.equals("train") ? 512 : 200;
            cut(mnist.resolve(split + "-images-idx3-ubyte.gz"), tiny.resolve(split + "-images-idx3-ubyte.gz"), n);
            cut(mnist.resolve(split + "-labels-idx1-ubyte.gz"), tiny.resolve(split + "-labels-idx1-ubyte.gz"), n);
        }
    }

    /** The first {@code n} items of an IDX file, with the header's count changed to match. */
    private static void cut(Path from, Path to, int n) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(from));
             DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            int dims = magic & 0xFF;
            data.readInt();
            int itemSize = 1;
            int[] rest = new int[dims - 1];
            for (int i = 0; i < rest.length; i++) {
                rest[i] = data.readInt();
                itemSize *= rest[i];
            }
            byte[] items = new byte[n * itemSize];
            data.readFully(items);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
                out.writeInt(magic);
                out.writeInt(n);
                for (int d : rest) {
                    out.writeInt(d);
                }
                out.write(items);
            }
            Files.write(to, bytes.toByteArray());
        }
    }

    private static CliRun trainGan(Path out, String... extra) {
        String[] base = {"train", "--data", tiny.toString(), "--samples", "256", "--batch-size", "64", "--epochs", "2",
                "--seed", "3", "--threads", "2", "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void evalTrainsTheMissingClassifierThenScoresACheckpoint(@TempDir Path dir) throws IOException {
        assertEquals(0, trainGan(dir.resolve("run")).exitCode());
        Path classifier = dir.resolve("classifiers/c.safetensors");
        CliRun r = CliRun.of("eval", "--checkpoint", dir.resolve("run/checkpoint.safetensors").toString(),
                "--data", tiny.toString(), "--samples", "150", "--classifier", classifier.toString(),
                "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("no classifier at " + classifier + ": training one"), r.out());
        int epochs = ClassifierOptions.defaults().epochs();
        assertTrue(r.out().contains("classifier epoch " + epochs + "/" + epochs), r.out());
        assertTrue(Files.isRegularFile(classifier));
        assertTrue(r.out().contains("FCD (MNIST classifier)"), r.out());
        assertFalse(r.out().toUpperCase(Locale.ROOT).contains("FID"), "the score is not FID: " + r.out());

        JsonNode json = new ObjectMapper().readTree(dir.resolve("run/eval.json").toFile());
        assertTrue(json.get("subject").asText().endsWith("checkpoint.safetensors (preset seed, epoch 2, step 8)"),
                json.get("subject").asText());
        assertEquals(150, json.get("samples").asInt());
        assertEquals("first 150 MNIST test images", json.get("reference").asText());
        assertTrue(json.get("fcd_mnist_classifier").asDouble() > 0);
        double score = json.get("classifier_score").asDouble();
        assertTrue(score >= 1 && score <= 10, "classifier score " + score);
        double entropy = json.get("class_entropy_nats").asDouble();
        assertTrue(entropy >= 0 && entropy <= Math.log(10) + 1e-9, "entropy " + entropy);
        int total = 0;
        for (JsonNode c : json.get("class_histogram")) {
            total += c.asInt();
        }
        assertEquals(150, total);

        CliRun again = CliRun.of("eval", "--checkpoint", dir.resolve("run/checkpoint.safetensors").toString(),
                "--data", tiny.toString(), "--samples", "150", "--classifier", classifier.toString(),
                "--out", dir.resolve("again.json").toString());
        assertEquals(0, again.exitCode(), again.err());
        assertFalse(again.out().contains("training one"), "the saved classifier is reused: " + again.out());
        JsonNode second = new ObjectMapper().readTree(dir.resolve("again.json").toFile());
        assertEquals(json.get("fcd_mnist_classifier"), second.get("fcd_mnist_classifier"), "same seed, same score");
    }

    @Test
    void baselinesPlaceTheTrainingImagesBelowNoise(@TempDir Path dir) throws IOException {
        Path classifier = dir.resolve("c.safetensors");
        CliRun made = CliRun.of("train-classifier", "--data", tiny.toString(), "--out", classifier.toString(),
                "--epochs", "2", "--threads", "2");
        assertEquals(0, made.exitCode(), made.err());
        assertTrue(made.out().contains("classifier test accuracy"), made.out());
        double[] fcd = new double[2];
        String[] baselines = {"train", "noise"};
        for (int i = 0; i < 2; i++) {
            Path json = dir.resolve(baselines[i] + ".json");
            CliRun r = CliRun.of("eval", "--baseline", baselines[i], "--data", tiny.toString(), "--samples", "200",
                    "--classifier", classifier.toString(), "--out", json.toString());
            assertEquals(0, r.exitCode(), r.err());
            fcd[i] = new ObjectMapper().readTree(json.toFile()).get("fcd_mnist_classifier").asDouble();
        }
        assertTrue(fcd[0] < fcd[1], "training images " + fcd[0] + " should be closer than noise " + fcd[1]);

        CliRun exists = CliRun.of("train-classifier", "--data", tiny.toString(), "--out", classifier.toString());
        assertEquals(1, exists.exitCode());
        assertTrue(exists.err().contains("exists; choose another --out or pass --force"), exists.err());
    }

    @Test
    void evalEveryAddsTheScoresToMetrics(@TempDir Path dir) throws IOException {
        Path classifier = dir.resolve("c.safetensors");
        assertEquals(0, CliRun.of("train-classifier", "--data", tiny.toString(), "--out", classifier.toString(),
                "--epochs", "1").exitCode());
        CliRun r = trainGan(dir.resolve("run"), "--eval-every", "1", "--eval-samples", "100", "--classifier",
                classifier.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("eval after epoch 1: FCD (MNIST classifier)"), r.out());
        assertTrue(r.out().contains("eval after epoch 2: FCD (MNIST classifier)"), r.out());
        List<String> metrics = Files.readAllLines(dir.resolve("run/metrics.csv"));
        assertEquals(MetricsCsv.HEADER, metrics.get(0));
        assertEquals(9, metrics.size(), "a header and 4 steps per epoch");
        for (int i = 1; i < metrics.size(); i++) {
            String[] f = metrics.get(i).split(",", -1);
            assertEquals(11, f.length, metrics.get(i));
            boolean epochEnd = i % 4 == 0;
            assertEquals(epochEnd, !f[8].isEmpty(), "scores on the last step of each epoch only: " + metrics.get(i));
            if (epochEnd) {
                assertTrue(Double.parseDouble(f[8]) > 0 && Double.parseDouble(f[9]) >= 1
                        && Double.parseDouble(f[10]) >= 0, metrics.get(i));
            }
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        CliRun none = CliRun.of("eval", "--data", tiny.toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("--checkpoint") && none.err().contains("--baseline"), none.err());
        CliRun baseline = CliRun.of("eval", "--baseline", "test", "--data", tiny.toString());
        assertEquals(2, baseline.exitCode());
        assertTrue(baseline.err().contains("--baseline must be 'train' or 'noise', got 'test'"), baseline.err());
        CliRun samples = CliRun.of("eval", "--baseline", "noise", "--samples", "1", "--data", tiny.toString());
        assertEquals(2, samples.exitCode());
        assertTrue(samples.err().contains("--samples must be at least 2"), samples.err());
        CliRun every = CliRun.of("train", "--data", tiny.toString(), "--eval-every", "-1");
        assertEquals(2, every.exitCode());
        assertTrue(every.err().contains("--eval-every must be 0 or more"), every.err());
        CliRun epochs = CliRun.of("train-classifier", "--data", tiny.toString(), "--epochs", "0");
        assertEquals(2, epochs.exitCode());
        assertTrue(epochs.err().contains("epochs must be at least 1"), epochs.err());
    }
}
