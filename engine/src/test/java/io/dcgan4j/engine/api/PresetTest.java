package io.dcgan4j.engine.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.api.DcganConfig.DiscriminatorActivation;
import io.dcgan4j.engine.api.DcganConfig.KernelInit;
import io.dcgan4j.engine.checkpoint.Safetensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presets' documented values, their names, a short deterministic run of each, and how checkpoints record them. */
class PresetTest {

    private static MnistDataset data;

    @BeforeAll
    static void load() throws IOException {
        data = MnistDataset.load(Golden.sharedDir().resolve("data/mnist"), 40);
    }

    @Test
    void eachPresetResolvesToItsDocumentedValues() {
        assertEquals(new DcganConfig(Preset.SEED, 100, 256, 1e-3f, 0.9f, 0.999f, 1e-7f, 0.2f, 0.99f, 1e-3f,
                DiscriminatorActivation.NONE, KernelInit.GLOROT_UNIFORM), Preset.SEED.config());
        assertEquals(new TrainingOptions(5, 2000, 256), Preset.SEED.options());

        assertEquals(new DcganConfig(Preset.SEED_TEXT, 100, 256, 1e-3f, 0.9f, 0.999f, 1e-7f, 0.2f, 0.99f, 1e-3f,
                DiscriminatorActivation.LEAKY_RELU, KernelInit.GLOROT_UNIFORM), Preset.SEED_TEXT.config());
        assertEquals(new TrainingOptions(5, 2000, 256), Preset.SEED_TEXT.options());

        assertEquals(new DcganConfig(Preset.DCGAN_PAPER, 100, 256, 2e-4f, 0.5f, 0.999f, 1e-7f, 0.2f, 0.99f, 1e-3f,
                DiscriminatorActivation.LEAKY_RELU, KernelInit.NORMAL_0_02), Preset.DCGAN_PAPER.config());
        assertEquals(new TrainingOptions(5, TrainingOptions.ALL_SAMPLES, 256), Preset.DCGAN_PAPER.options());

        assertEquals(Preset.SEED.config(), DcganConfig.seedDefaults());
        assertEquals(Preset.SEED.options(), TrainingOptions.seedDefaults());
    }

    @Test
    void namesRoundTripAndAnUnknownNameListsTheValidOnes() {
        for (Preset p : Preset.values()) {
            assertEquals(p, Preset.parse(p.toString()));
        }
        assertEquals(List.of("seed", "seed-text", "dcgan-paper"),
                java.util.Arrays.stream(Preset.values()).map(Preset::toString).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preset.parse("paper"));
        assertEquals("no preset named 'paper'; choose one of seed, seed-text, dcgan-paper", e.getMessage());
        assertEquals(DiscriminatorActivation.LEAKY_RELU, DiscriminatorActivation.parse("leaky-relu"));
        assertEquals(KernelInit.NORMAL_0_02, KernelInit.parse("normal-0.02"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelInit.parse("normal"))
                .getMessage().contains("glorot-uniform, normal-0.02"));
    }

    @Test
    void aShortRunOfEachPresetRepeatsForItsSeedAndThePresetsDiffer() {
        Set<Float> firstLosses = new HashSet<>();
        for (Preset p : Preset.values()) {
            List<Float> a = losses(p, 7);
            assertEquals(a, losses(p, 7), p + ": the same seed gives the same losses");
            assertTrue(a.stream().allMatch(Float::isFinite), p + ": " + a);
            firstLosses.add(a.get(1));
        }
        assertEquals(Preset.values().length, firstLosses.size(), "each preset trains a different model");
    }

    /** Three steps of 16 images: d_loss and g_loss of each, and the sum of the preview after them. */
    private static List<Float> losses(Preset p, long seed) {
        List<Float> out = new ArrayList<>();
        try (Trainer t = Trainer.start(p.config().withBatchSize(16), new TrainingOptions(1, 40, 8), data,
                Device.cpu(2), seed)) {
            t.train(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    out.add(e.discriminatorLoss());
                    out.add(e.generatorLoss());
                }
            });
            float sum = 0;
            for (float v : t.preview()) {
                sum += v;
            }
            out.add(sum);
        }
        return out;
    }

    @Test
    void theCheckpointRecordsThePresetAndEveryResolvedValue(@TempDir Path dir) throws IOException {
        DcganConfig overridden = Preset.DCGAN_PAPER.config().withBatchSize(16).withAdam(1e-3f, 0.5f);
        TrainingOptions options = new TrainingOptions(1, 40, 8);
        Path file = dir.resolve("paper.safetensors");
        try (Trainer t = Trainer.start(overridden, options, data, Device.cpu(2), 3)) {
            t.train(1, new TrainingListener() {
            });
            t.save(file);
        }
        Checkpoint c = Checkpoint.read(file);
        assertEquals(overridden, c.config());
        assertEquals(options, c.options());
        String json = Safetensors.read(file).metadata().get("config");
        for (String entry : List.of("\"preset\":\"dcgan-paper\"", "\"learning_rate\":0.001", "\"beta_1\":0.5",
                "\"d_activation\":\"leaky-relu\"", "\"kernel_init\":\"normal-0.02\"")) {
            assertTrue(json.contains(entry), entry + " in " + json);
        }
        try (Gan gan = Gan.load(c, Device.cpu(1))) {
            assertEquals(overridden, gan.config());
        }
    }

    @Test
    void aCheckpointFromBeforePresetsReadsAsTheSeedAndABadPresetIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seed.safetensors");
        try (Trainer t = Trainer.start(DcganConfig.seedDefaults().withBatchSize(16), new TrainingOptions(1, 40, 8),
                data, Device.cpu(2), 3)) {
            t.save(file);
        }
        Safetensors.Contents contents = Safetensors.read(file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(contents.metadata().get("config"));
        config.remove(List.of("preset", "d_activation", "kernel_init"));

        Path legacy = rewrite(dir.resolve("legacy.safetensors"), contents, config.toString());
        assertEquals(DcganConfig.seedDefaults().withBatchSize(16), Checkpoint.read(legacy).config());

        config.put("preset", "dcgan");
        Path bad = rewrite(dir.resolve("bad.safetensors"), contents, config.toString());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(bad));
        assertTrue(e.getMessage().contains("metadata entry 'config' is invalid: no preset named 'dcgan'"),
                e.getMessage());
    }

    private static Path rewrite(Path file, Safetensors.Contents contents, String config) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        meta.put("config", config);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Safetensors.write(ch, contents.tensors(), meta);
        }
        return file;
    }

    @Test
    void anOverrideKeepsThePresetNameAndChangesOnlyItsValue() {
        DcganConfig c = Preset.SEED_TEXT.config().withKernelInit(KernelInit.NORMAL_0_02);
        assertEquals(Preset.SEED_TEXT, c.preset());
        assertEquals(Preset.SEED_TEXT.config(), c.withKernelInit(KernelInit.GLOROT_UNIFORM));
        assertEquals(Preset.SEED_TEXT.config(), Preset.SEED.config()
                .withDiscriminatorActivation(DiscriminatorActivation.LEAKY_RELU).withPreset(Preset.SEED_TEXT));
        assertThrows(NullPointerException.class, () -> Preset.SEED.config().withKernelInit(null));
    }
}
