package io.dcgan4j.engine.api;

import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.checkpoint.Safetensors;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints: the round trip, exact resume, atomic writes and every kind of bad file. */
class CheckpointTest {

    /** 40 images in batches of 16: 3 steps per epoch, the last one partial. */
    private static final DcganConfig CONFIG = DcganConfig.seedDefaults().withBatchSize(16);
    private static MnistDataset data;

    @BeforeAll
    static void load() throws IOException {
        data = MnistDataset.load(Golden.sharedDir().resolve("data/mnist"), 40);
    }

    private static TrainingOptions epochs(int n) {
        return new TrainingOptions(n, 40, 8);
    }

    private static final TrainingListener QUIET = new TrainingListener() {
    };

    @Test
    void roundTripKeepsEveryTensorAndTheRunState(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(2), data, Device.cpu(2), 5)) {
            t.train(4, QUIET);
            Checkpoint taken = t.checkpoint();
            t.save(file);
            Checkpoint read = Checkpoint.read(file);
            assertEquals(taken.tensorNames(), read.tensorNames());
            for (String name : taken.tensorNames()) {
                assertArrayEquals(taken.shape(name), read.shape(name), name);
                assertArrayEquals(bits(taken.tensor(name)), bits(read.tensor(name)), name);
            }
            assertEquals(CONFIG, read.config());
            assertEquals(epochs(2), read.options());
            assertEquals(5, read.seed());
            assertEquals(1, read.epochsDone());
            assertEquals(1, read.stepInEpoch());
            assertEquals(4, read.steps());
            assertEquals(file, read.source());
            assertTrue(read.tensorNames().contains("g_convT2_kernel"));
            assertTrue(read.tensorNames().contains("d_bn1_moving_variance"));
            assertTrue(read.tensorNames().contains("adam/generator/g_convT2_kernel/m"));
            assertTrue(read.tensorNames().contains("adam/discriminator/d_dense_bias/v"));
            assertArrayEquals(new int[]{Trainer.PREVIEW_COUNT, 100}, read.shape(Checkpoint.PREVIEW_NOISE));

            try (Gan loaded = Gan.load(file, Device.cpu(1))) {
                assertArrayEquals(bits(t.gan().sample(3, 9)), bits(loaded.sample(3, 9)),
                        "the loaded generator is the trained one");
                assertArrayEquals(bits(t.preview()), bits(loaded.sample(read.tensor(Checkpoint.PREVIEW_NOISE))));
            }
        }
    }

    @Test
    void theFileIsSafetensorsAsOtherToolsReadIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(1), data, Device.cpu(2), 5)) {
            t.save(file);
            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + headerLength) % 8, "the data section starts 8-byte aligned");
            String header = new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(header);
            var kernel = json.get("g_dense_kernel");
            assertEquals("F32", kernel.get("dtype").asText());
            assertEquals("[100,4608]", kernel.get("shape").toString());
            long begin = kernel.get("data_offsets").get(0).asLong();
            float first = ByteBuffer.wrap(bytes, (int) (8 + headerLength + begin), 4).order(ByteOrder.LITTLE_ENDIAN)
                    .getFloat();
            assertEquals(t.checkpoint().tensor("g_dense_kernel")[0], first, "raw little-endian float32 data");
            assertEquals("dcgan4j-checkpoint", json.get("__metadata__").get("format").asText());
            assertTrue(json.get("__metadata__").get("config").asText().contains("\"learning_rate\":0.001"));
        }
    }

    @Test
    void twoEpochsThenResumeForThreeMoreEqualsFiveInOneGo(@TempDir Path dir) throws IOException {
        Checkpoint straight;
        try (Trainer t = Trainer.start(CONFIG, epochs(5), data, Device.cpu(2), 21)) {
            t.train(QUIET);
            straight = t.checkpoint();
        }
        Path file = dir.resolve("two.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(2), data, Device.cpu(2), 21)) {
            t.train(QUIET);
            assertTrue(t.finished());
            t.save(file);
        }
        Checkpoint resumed;
        try (Trainer t = Trainer.resume(Checkpoint.read(file), epochs(5), data, Device.cpu(2))) {
            assertEquals(2, t.epochsDone());
            t.train(QUIET);
            resumed = t.checkpoint();
        }
        assertBitIdentical(straight, resumed);
    }

    @Test
    void aStopInsideAnEpochResumesExactlyToo(@TempDir Path dir) throws IOException {
        Checkpoint straight;
        try (Trainer t = Trainer.start(CONFIG, epochs(3), data, Device.cpu(1), 8)) {
            t.train(QUIET);
            straight = t.checkpoint();
        }
        Path file = dir.resolve("mid.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(3), data, Device.cpu(2), 8)) {
            TrainingListener stopAfterFour = new TrainingListener() {
                @Override
                public void onStep(StepEvent event) {
                    if (event.globalStep() == 4) {
                        t.requestStop();
                    }
                }
            };
            t.train(stopAfterFour);
            assertTrue(t.stopRequested());
            assertEquals(1, t.epochsDone());
            assertEquals(1, t.stepInEpoch());
            t.save(file);
        }
        try (Trainer t = Trainer.resume(Checkpoint.read(file), epochs(3), data, Device.cpu(2))) {
            t.train(QUIET);
            assertBitIdentical(straight, t.checkpoint());
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(1), data, Device.cpu(2), 3)) {
            t.save(file);
            byte[] before = Files.readAllBytes(file);
            t.train(1, QUIET);
            Checkpoint next = t.checkpoint();
            IOException e = assertThrows(IOException.class,
                    () -> next.write(file, failAfter(before.length / 2)));
            assertTrue(e.getMessage().contains("disk full"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint survives");
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary file is left behind");
            }
            assertEquals(0, Checkpoint.read(file).steps());
        }
    }

    /** A channel that accepts {@code limit} bytes, then fails as a full disk does. */
    private static UnaryOperator<WritableByteChannel> failAfter(long limit) {
        return channel -> new WritableByteChannel() {
            private long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written + src.remaining() > limit) {
                    throw new IOException("No space left on device (disk full)");
                }
                int n = channel.write(src);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Test
    void truncatedAndGarbageFilesAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(1), data, Device.cpu(2), 3)) {
            t.save(good);
        }
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertRejected(truncated, "outside the");

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[]{1, 2, 3});
        assertRejected(tiny, "shorter than the 8-byte header length");

        Path png = dir.resolve("image.safetensors");
        Files.write(png, "\u0089PNG\r\n\u001a\n and some more bytes".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertRejected(png, "header length");

        Path badJson = dir.resolve("json.safetensors");
        byte[] corrupt = bytes.clone();
        corrupt[8] = 'x';
        Files.write(badJson, corrupt);
        assertRejected(badJson, "not valid JSON");

        Path trailing = dir.resolve("trailing.safetensors");
        Files.write(trailing, bytes);
        Files.write(trailing, new byte[]{0, 0, 0, 0}, StandardOpenOption.APPEND);
        assertRejected(trailing, "trailing data");
    }

    @Test
    void missingMisshapenUnexpectedAndForeignTensorsAreNamed(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(1), data, Device.cpu(2), 3)) {
            t.save(good);
        }
        Safetensors.Contents c = Safetensors.read(good);

        Map<String, Entry> missing = new LinkedHashMap<>(c.tensors());
        missing.remove("d_bn2_gamma");
        assertRejectedOnLoad(write(dir, "missing", missing, c.metadata()), "tensor 'd_bn2_gamma' is missing");

        Map<String, Entry> extra = new LinkedHashMap<>(c.tensors());
        extra.put("surprise", new Entry(new int[]{2}, new float[]{1, 2}));
        assertRejectedOnLoad(write(dir, "extra", extra, c.metadata()), "unexpected tensor 'surprise'");

        Map<String, String> otherConfig = new LinkedHashMap<>(c.metadata());
        otherConfig.put("config", otherConfig.get("config").replace("\"noise_dim\":100", "\"noise_dim\":64"));
        assertRejectedOnLoad(write(dir, "config", c.tensors(), otherConfig),
                "tensor 'g_dense_kernel' has shape [100, 4608], the model of its config needs [64, 4608]");

        Map<String, String> foreign = new LinkedHashMap<>(c.metadata());
        foreign.remove("format");
        assertRejected(write(dir, "foreign", c.tensors(), foreign), "not a dcgan4j checkpoint");

        Map<String, String> noSteps = new LinkedHashMap<>(c.metadata());
        noSteps.remove("steps");
        assertRejected(write(dir, "nosteps", c.tensors(), noSteps), "metadata entry 'steps' is missing");

        Path f16 = write(dir, "f16", c.tensors(), c.metadata());
        byte[] bytes = Files.readAllBytes(f16);
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replaceFirst("\"F32\"", "\"F16\"");
        Files.write(f16, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertRejected(f16, "has dtype F16");
    }

    @Test
    void resumingWithOtherDataOrOptionsIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(1), data, Device.cpu(2), 3)) {
            t.train(QUIET);
            t.save(file);
        }
        Checkpoint c = Checkpoint.read(file);
        CheckpointException buffer = assertThrows(CheckpointException.class,
                () -> Trainer.resume(c, new TrainingOptions(3, 40, 16), data, Device.cpu(1)));
        assertTrue(buffer.getMessage().contains("shuffle buffer 8"), buffer.getMessage());
        CheckpointException done = assertThrows(CheckpointException.class,
                () -> Trainer.resume(c, epochs(1), data, Device.cpu(1)));
        assertTrue(done.getMessage().contains("already done 1 epochs"), done.getMessage());
        MnistDataset fewer = MnistDataset.load(Golden.sharedDir().resolve("data/mnist"), 32);
        CheckpointException images = assertThrows(CheckpointException.class,
                () -> Trainer.resume(c, new TrainingOptions(3, 40, 8), fewer, Device.cpu(1)));
        assertTrue(images.getMessage().contains("40 images"), images.getMessage());
    }

    @Test
    void aNanLossStopsTrainingNamingTheStepAndTheLoss(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.safetensors");
        try (Trainer t = Trainer.start(CONFIG, epochs(2), data, Device.cpu(2), 3)) {
            t.train(2, QUIET);
            t.save(good);
        }
        Safetensors.Contents c = Safetensors.read(good);
        Map<String, Entry> poisoned = new LinkedHashMap<>(c.tensors());
        float[] bias = c.tensors().get("d_dense_bias").values().clone();
        bias[0] = Float.NaN;
        poisoned.put("d_dense_bias", new Entry(new int[]{1}, bias));
        Path bad = write(dir, "nan", poisoned, c.metadata());
        int[] reported = {0};
        try (Trainer t = Trainer.resume(Checkpoint.read(bad), epochs(2), data, Device.cpu(2))) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.train(
                    new TrainingListener() {
                        @Override
                        public void onStep(StepEvent event) {
                            reported[0]++;
                        }
                    }));
            assertEquals("training diverged at step 3 (epoch 1, batch 3): d_loss is NaN and g_loss is NaN",
                    e.getMessage());
            assertEquals(3, e.step());
            assertEquals(0, reported[0], "the diverged step is not reported as a step");
            assertThrows(IllegalStateException.class, () -> t.train(QUIET));
        }
    }

    @Test
    void aDiscriminatorThatWinsEveryBatchIsWarnedAboutOnce() {
        Trainer.WinningWatch watch = new Trainer.WinningWatch();
        for (int i = 1; i < Trainer.WINNING_STEPS; i++) {
            assertFalse(watch.observe(0.001f), "step " + i + " of a streak is not yet a warning");
        }
        assertFalse(watch.observe(0.5f), "a lost batch ends the streak");
        for (int i = 1; i < Trainer.WINNING_STEPS; i++) {
            assertFalse(watch.observe(0.001f));
        }
        assertTrue(watch.observe(0.001f), "the streak's last step warns");
        for (int i = 0; i < 3 * Trainer.WINNING_STEPS; i++) {
            assertFalse(watch.observe(i % 2 == 0 ? 0.001f : 0.9f) || watch.observe(0.0001f), "only once");
        }
    }

    private static Path write(Path dir, String name, Map<String, Entry> tensors, Map<String, String> meta)
            throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Safetensors.write(ch, tensors, meta);
        }
        return file;
    }

    private static void assertRejected(Path file, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static void assertRejectedOnLoad(Path file, String expected) throws IOException {
        Checkpoint c = Checkpoint.read(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Gan.load(c, Device.cpu(1)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        CheckpointException r = assertThrows(CheckpointException.class,
                () -> Trainer.resume(c, epochs(3), data, Device.cpu(1)));
        assertEquals(e.getMessage(), r.getMessage());
    }

    private static void assertBitIdentical(Checkpoint a, Checkpoint b) {
        assertEquals(a.tensorNames(), b.tensorNames());
        for (String name : a.tensorNames()) {
            assertArrayEquals(bits(a.tensor(name)), bits(b.tensor(name)), name);
        }
        assertEquals(a.epochsDone(), b.epochsDone());
        assertEquals(a.stepInEpoch(), b.stepInEpoch());
        assertEquals(a.steps(), b.steps());
        assertEquals(a.seed(), b.seed());
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
