package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Checkpoint;
import io.dcgan4j.engine.checkpoint.Safetensors;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A run's life through the CLI: checkpoints, resume, sample, the NaN guard and Ctrl-C. */
class RunLifecycleTest {

    @BeforeAll
    static void needsShared() {
        assumeTrue(Files.isDirectory(CommandLineTest.mnist()), "no MNIST at " + CommandLineTest.mnist());
    }

    /** 96 images in batches of 32: three steps per epoch. */
    private static String[] train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", CommandLineTest.mnist().toString(),
                "--samples", "96", "--batch-size", "32", "--shuffle-buffer", "16", "--seed", "7",
                "--threads", "2", "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void twoEpochsPlusAResumeForThreeMoreEqualFiveInOneGo(@TempDir Path dir) throws IOException {
        CliRun straight = CliRun.of(train(dir.resolve("straight"), "--epochs", "5"));
        assertEquals(0, straight.exitCode(), straight.err());

        CliRun first = CliRun.of(train(dir.resolve("split"), "--epochs", "2"));
        assertEquals(0, first.exitCode(), first.err());
        Path checkpoint = dir.resolve("split/" + RunOutputs.CHECKPOINT_FILE);
        CliRun rest = CliRun.of("train", "--data", CommandLineTest.mnist().toString(), "--resume",
                checkpoint.toString(), "--epochs", "5", "--threads", "1");
        assertEquals(0, rest.exitCode(), rest.err());
        assertTrue(rest.out().contains("resuming " + checkpoint + " at epoch 3, step 1 (6 steps done)"), rest.out());
        assertTrue(rest.out().lines().filter(l -> l.startsWith("epoch:")).findFirst().orElseThrow()
                .startsWith("epoch:3,batch step:1,"), rest.out());

        assertArrayEquals(Files.readAllBytes(dir.resolve("straight/" + RunOutputs.CHECKPOINT_FILE)),
                Files.readAllBytes(checkpoint), "the resumed run's final checkpoint is the uninterrupted one's");
        List<String> metrics = Files.readAllLines(dir.resolve("split/metrics.csv"));
        assertEquals(16, metrics.size(), "a header and the 15 steps of both parts");
        for (int i = 1; i <= 15; i++) {
            assertEquals(Integer.toString(i), metrics.get(i).split(",")[1]);
        }
        assertEquals(5, TrainEndToEndTest.gifFrames(dir.resolve("split/" + EpochAnimation.FILE_NAME)));
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight/image_at_epoch_0005.png")),
                Files.readAllBytes(dir.resolve("split/image_at_epoch_0005.png")));

        CliRun finished = CliRun.of("train", "--data", CommandLineTest.mnist().toString(), "--resume",
                checkpoint.toString());
        assertEquals(2, finished.exitCode());
        assertTrue(finished.err().contains("has done 5 epochs, all it asked for; pass --epochs N with N above 5"),
                finished.err());
        CliRun otherLr = CliRun.of("train", "--data", CommandLineTest.mnist().toString(), "--resume",
                checkpoint.toString(), "--epochs", "6", "--lr", "2e-4");
        assertEquals(2, otherLr.exitCode());
        assertTrue(otherLr.err().contains("--lr 2.0E-4 differs from the resumed run's 0.001"), otherLr.err());
    }

    @Test
    void sampleWritesADeterministicGridOfTheAskedSize(@TempDir Path dir) throws IOException {
        assertEquals(0, CliRun.of(train(dir.resolve("run"), "--epochs", "1")).exitCode());
        String ckpt = dir.resolve("run/" + RunOutputs.CHECKPOINT_FILE).toString();
        CliRun a = CliRun.of("sample", "--checkpoint", ckpt, "--count", "10", "--seed", "3", "--out",
                dir.resolve("a.png").toString());
        assertEquals(0, a.exitCode(), a.err());
        BufferedImage img = ImageIO.read(dir.resolve("a.png").toFile());
        int s = RunOutputs.GRID_SCALE, tile = 28 * s;
        assertEquals(4 * tile + 5 * s, img.getWidth(), "10 samples: 4 columns");
        assertEquals(3 * tile + 4 * s, img.getHeight(), "and 3 rows");

        assertEquals(0, CliRun.of("sample", "--checkpoint", ckpt, "--count", "10", "--seed", "3", "--out",
                dir.resolve("b.png").toString()).exitCode());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.png")), Files.readAllBytes(dir.resolve("b.png")));
        assertEquals(0, CliRun.of("sample", "--checkpoint", ckpt, "--count", "10", "--seed", "4", "--out",
                dir.resolve("c.png").toString()).exitCode());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a.png")),
                Files.readAllBytes(dir.resolve("c.png"))), "another seed, other samples");

        CliRun walk = CliRun.of("sample", "--checkpoint", ckpt, "--interpolate", "--count", "2", "--steps", "5",
                "--seed", "3", "--out", dir.resolve("walk.png").toString());
        assertEquals(0, walk.exitCode(), walk.err());
        BufferedImage w = ImageIO.read(dir.resolve("walk.png").toFile());
        assertEquals(5 * tile + 6 * s, w.getWidth());
        assertEquals(2 * tile + 3 * s, w.getHeight());

        CliRun again = CliRun.of("sample", "--checkpoint", ckpt, "--out", dir.resolve("a.png").toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("exists; choose another --out or pass --force"), again.err());
        CliRun garbage = CliRun.of("sample", "--checkpoint", dir.resolve("a.png").toString(), "--out",
                dir.resolve("d.png").toString());
        assertEquals(1, garbage.exitCode());
        assertTrue(garbage.err().contains("not a safetensors file"), garbage.err());
        assertFalse(Files.exists(dir.resolve("d.png")));
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastCheckpoint(@TempDir Path dir) throws IOException {
        assertEquals(0, CliRun.of(train(dir.resolve("run"), "--epochs", "1")).exitCode());
        Path ckpt = dir.resolve("run/" + RunOutputs.CHECKPOINT_FILE);
        Safetensors.Contents c = Safetensors.read(ckpt);
        Map<String, Entry> poisoned = new LinkedHashMap<>(c.tensors());
        float[] kernel = c.tensors().get("g_dense_kernel").values().clone();
        kernel[0] = Float.POSITIVE_INFINITY;
        kernel[1] = Float.NEGATIVE_INFINITY;
        poisoned.put("g_dense_kernel", new Entry(new int[]{100, 4608}, kernel));
        Files.delete(ckpt);
        try (FileChannel ch = FileChannel.open(ckpt, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Safetensors.write(ch, poisoned, c.metadata());
        }
        byte[] before = Files.readAllBytes(ckpt);
        CliRun r = CliRun.of("train", "--data", CommandLineTest.mnist().toString(), "--resume", ckpt.toString(),
                "--epochs", "2");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.err().contains("dcgan4j: error: training diverged at step 4 (epoch 2, batch 1): "), r.err());
        assertTrue(r.err().contains("the last checkpoint, " + ckpt + ", is kept"), r.err());
        assertArrayEquals(before, Files.readAllBytes(ckpt));
    }

    @Test
    void ctrlCFinishesTheStepSavesACheckpointAndExits130(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path out = dir.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(train(out, "--epochs", "1000")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            boolean signalled = false;
            while ((line = lines.readLine()) != null) {
                seen.append(line).append('\n');
                if (!signalled && line.startsWith("epoch:2,")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    signalled = true;
                }
            }
        } finally {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(TrainCommand.INTERRUPTED, p.exitValue(), seen.toString());
        assertTrue(seen.toString().contains("interrupted: finishing this step"), seen.toString());
        assertTrue(seen.toString().contains("continue with: dcgan4j train --resume"), seen.toString());
        Checkpoint saved = Checkpoint.read(out.resolve(RunOutputs.CHECKPOINT_FILE));
        long stepLines = seen.toString().lines().filter(l -> l.startsWith("epoch:")).count();
        assertEquals(stepLines, saved.steps(), "the checkpoint holds every step that was reported");
        assertEquals(stepLines + 1, Files.readAllLines(out.resolve("metrics.csv")).size());
    }
}
