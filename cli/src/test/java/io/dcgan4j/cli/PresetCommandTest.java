package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Checkpoint;
import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.api.DcganConfig.DiscriminatorActivation;
import io.dcgan4j.engine.api.DcganConfig.KernelInit;
import io.dcgan4j.engine.api.Preset;
import io.dcgan4j.engine.api.TrainingOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code train --preset}: the values it lists and resolves, explicit overrides, and what the checkpoint records. */
class PresetCommandTest {

    @BeforeAll
    static void needsShared() {
        assumeTrue(Files.isDirectory(CommandLineTest.mnist()), "no MNIST at " + CommandLineTest.mnist());
    }

    private static CliRun train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", CommandLineTest.mnist().toString(),
                "--samples", "64", "--batch-size", "32", "--epochs", "1", "--seed", "3", "--threads", "2",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void helpListsEveryPresetWithEveryValue() {
        CliRun r = CliRun.of("train", "--help");
        assertEquals(0, r.exitCode(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("seed: exactly the seed's code --epochs 5 --samples 2000 --batch-size 256 "
                + "--noise-dim 100 --shuffle-buffer 256 --lr 0.001 --beta1 0.9 --beta2 0.999 --d-activation none "
                + "--kernel-init glorot-uniform"), help);
        assertTrue(help.contains("seed-text: the seed's text: leaky ReLU after each D BatchNorm --epochs 5 "
                + "--samples 2000 --batch-size 256 --noise-dim 100 --shuffle-buffer 256 --lr 0.001 --beta1 0.9 "
                + "--beta2 0.999 --d-activation leaky-relu --kernel-init glorot-uniform"), help);
        assertTrue(help.contains("dcgan-paper: seed-text with the DCGAN paper's recipe --epochs "
                + Preset.DCGAN_PAPER.options().epochs() + " --samples all --batch-size 256 --noise-dim 100 "
                + "--shuffle-buffer 256 --lr 0.0002 --beta1 0.5 --beta2 0.999 --d-activation leaky-relu "
                + "--kernel-init normal-0.02"), help);
    }

    @Test
    void anUnknownPresetOrChoiceIsAUsageErrorListingTheValidOnes(@TempDir Path dir) {
        CliRun preset = train(dir.resolve("a"), "--preset", "paper");
        assertEquals(2, preset.exitCode());
        assertTrue(preset.err().contains("no preset named 'paper'; choose one of seed, seed-text, dcgan-paper"),
                preset.err());
        CliRun init = train(dir.resolve("b"), "--kernel-init", "he");
        assertEquals(2, init.exitCode());
        assertTrue(init.err().contains("choose one of glorot-uniform, normal-0.02"), init.err());
        assertTrue(Files.notExists(dir.resolve("a")) && Files.notExists(dir.resolve("b")), "nothing is written");
    }

    @Test
    void thePresetSetsEveryValueAnExplicitOptionOverridesAndTheCheckpointRecordsBoth(@TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("paper");
        CliRun r = train(out, "--preset", "dcgan-paper", "--lr", "0.001");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("preset dcgan-paper: --epochs 1 --samples 64 --batch-size 32 --noise-dim 100 "
                + "--shuffle-buffer 256 --lr 0.001 --beta1 0.5 --beta2 0.999 --d-activation leaky-relu "
                + "--kernel-init normal-0.02"), r.out());
        Checkpoint saved = Checkpoint.read(out.resolve(RunOutputs.CHECKPOINT_FILE));
        assertEquals(Preset.DCGAN_PAPER.config().withBatchSize(32).withAdam(1e-3f, 0.5f), saved.config());
        assertEquals(new TrainingOptions(1, 64, 256), saved.options());

        CliRun otherPreset = CliRun.of("train", "--data", CommandLineTest.mnist().toString(), "--resume",
                out.resolve(RunOutputs.CHECKPOINT_FILE).toString(), "--epochs", "2", "--preset", "seed");
        assertEquals(2, otherPreset.exitCode());
        assertTrue(otherPreset.err().contains("--preset seed differs from the resumed run's dcgan-paper"),
                otherPreset.err());
    }

    @Test
    void withoutAPresetTheRunIsTheSeedsAndAChoiceCanBeOverridden(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("seed");
        CliRun r = train(out, "--d-activation", "leaky-relu");
        assertEquals(0, r.exitCode(), r.err());
        DcganConfig c = Checkpoint.read(out.resolve(RunOutputs.CHECKPOINT_FILE)).config();
        assertEquals(Preset.SEED, c.preset());
        assertEquals(DiscriminatorActivation.LEAKY_RELU, c.discriminatorActivation());
        assertEquals(KernelInit.GLOROT_UNIFORM, c.kernelInit());
        assertEquals(Preset.SEED.config().learningRate(), c.learningRate());
    }
}
