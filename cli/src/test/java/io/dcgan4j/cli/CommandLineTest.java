package io.dcgan4j.cli;

import io.dcgan4j.kernels.cuda.CudaDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Exit codes, messages and help, through picocli in-process. */
class CommandLineTest {

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("train") && r.out().contains("info"), r.out());
    }

    @Test
    void noCommandPrintsUsage() {
        CliRun r = CliRun.of();
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("Usage: dcgan4j"), r.out());
    }

    @Test
    void trainHelpShowsEveryOptionWithThePresetDefaults() {
        CliRun r = CliRun.of("train", "--help");
        assertEquals(0, r.exitCode());
        for (String option : new String[]{"--preset", "--data", "--epochs", "--batch-size", "--samples",
                "--noise-dim", "--shuffle-buffer", "--lr", "--beta1", "--beta2", "--d-activation", "--kernel-init",
                "--seed", "--threads", "--device", "--out", "--force"}) {
            assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("Default: seed"), r.out());
        assertTrue(r.out().contains("Default: the preset's."), r.out());
        assertTrue(r.out().contains("--epochs 5 --samples 2000 --batch-size 256"), r.out());
        assertTrue(r.out().contains(DataHome.defaultMnistDir().toString()), r.out());
    }

    @Test
    void versionNamesTheProjectAndTheJvm() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("dcgan4j "), r.out());
        assertTrue(r.out().contains("JVM: " + Runtime.version()), r.out());
    }

    @Test
    void infoShowsTheVectorSpeciesAndCores() {
        CliRun r = CliRun.of("info");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Vector API") && r.out().contains("bits"), r.out());
        assertTrue(r.out().contains("cores        " + Runtime.getRuntime().availableProcessors()), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train --bogus                | Unknown option: '--bogus'",
            "train --epochs 0             | --epochs must be a positive whole number, got 0",
            "train --epochs many          | Invalid value for option '--epochs'",
            "train --batch-size -3        | --batch-size must be a positive whole number, got -3",
            "train --samples none         | 'none' is neither a count nor 'all'",
            "train --samples 0            | must be at least 1 or 'all', got 0",
            "train --lr -0.1              | --lr must be a positive number, got -0.1",
            "train --lr NaN               | --lr must be a positive number, got NaN",
            "train --beta1 1              | --beta1 must be in [0, 1), got 1.0",
            "train --beta2 -0.5           | --beta2 must be in [0, 1), got -0.5",
            "train --threads 0            | --threads must be a positive whole number, got 0",
            "train --device tpu           | --device must be cpu, cuda or cuda:N, got 'tpu'",
            "train --shuffle-buffer 0     | --shuffle-buffer must be a positive whole number, got 0",
            "frobnicate                   | Unmatched argument at index 0: 'frobnicate'",
    })
    void usageErrorsExitTwoWithOneLine(String args, String message) {
        CliRun r = CliRun.of(args.trim().split(" +"));
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.err().startsWith("dcgan4j: "), r.err());
    }

    @Test
    void cudaFailsAtOnceWithAReasonAndNeverFallsBack(@TempDir Path dir) {
        assumeFalse(CudaDevices.probe().available(), "a CUDA device is present; this checks a machine without one");
        CliRun r = CliRun.of("train", "--device", "cuda", "--data", mnist().toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("cuda:0 is unavailable: " + CudaDevices.probe().reason())
                && r.err().contains("use cpu instead"), r.err());
        assertFalse(r.out().contains("epoch:"), "no training on the CPU instead");
        assertFalse(Files.exists(dir.resolve("run")), "a failed start leaves nothing behind");
    }

    @Test
    void aMissingDataFolderIsOneLineWithoutStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-folder");
        CliRun r = CliRun.of("train", "--data", missing.toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertFalse(Files.exists(dir.resolve("run")), "no output folder is made for a run that cannot start");
    }

    @Test
    void verbosePrintsTheStackTrace(@TempDir Path dir) {
        CliRun r = CliRun.of("train", "--verbose", "--data", dir.resolve("none").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void aFolderWithoutMnistSaysWhatItLookedFor(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        CliRun r = CliRun.of("train", "--data", empty.toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
    }

    /** Only the first 2000 images are used, but a file cut short after them is still reported, before training. */
    @Test
    void aTruncatedMnistFileIsReportedBeforeTraining(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        byte[] whole = Files.readAllBytes(mnist().resolve("train-images-idx3-ubyte.gz"));
        Path cut = Files.write(data.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(whole, 500_000));
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(cut.toString()) && r.err().contains("truncated gzip stream"), r.err());
        assertFalse(r.out().contains("epoch:"), r.out());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void aNonEmptyOutFolderIsKeptUnlessForced(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path keep = Files.writeString(out.resolve("notes.txt"), "mine");
        CliRun r = CliRun.of("train", "--data", mnist().toString(), "--out", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("not empty") && r.err().contains("--force"), r.err());
        assertEquals("mine", Files.readString(keep));
    }

    @Test
    void runFoldersNeverCollide(@TempDir Path dir) throws IOException {
        Path a = TrainCommand.newRunFolder(dir);
        Path b = TrainCommand.newRunFolder(dir);
        assertFalse(a.equals(b));
        assertTrue(Files.isDirectory(a) && Files.isDirectory(b));
    }

    static Path mnist() {
        return CliRun.sharedDir().resolve("data/mnist");
    }
}
