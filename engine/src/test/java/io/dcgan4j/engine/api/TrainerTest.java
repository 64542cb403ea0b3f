package io.dcgan4j.engine.api;

import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.api.DcganConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two short epochs on real MNIST: the event stream, and that the seed fixes everything. */
class TrainerTest {

    private static MnistDataset data;

    @BeforeAll
    static void load() throws IOException {
        data = MnistDataset.load(Golden.sharedDir().resolve("data/mnist"), 40);
    }

    private record Recorded(List<TrainingListener.StepEvent> steps, List<TrainingListener.EpochEvent> epochs) {
    }

    private static Recorded train(long seed, int threads) {
        Recorded rec = new Recorded(new ArrayList<>(), new ArrayList<>());
        try (Trainer run = Trainer.start(DcganConfig.seedDefaults().withBatchSize(16),
                new TrainingOptions(2, 40, 8), data, Device.cpu(threads), seed)) {
            run.train(new TrainingListener() {
                @Override
                public void onStep(StepEvent event) {
                    rec.steps.add(event);
                }

                @Override
                public void onEpochEnd(EpochEvent event) {
                    rec.epochs.add(event);
                }
            });
        }
        return rec;
    }

    @Test
    void reportsEveryStepAndEpochInOrder() {
        Recorded r = train(11, 2);
        assertEquals(6, r.steps().size(), "40 images in batches of 16: 3 steps per epoch");
        int[] sizes = {16, 16, 8, 16, 16, 8};
        for (int i = 0; i < 6; i++) {
            TrainingListener.StepEvent e = r.steps().get(i);
            assertEquals(i / 3 + 1, e.epoch());
            assertEquals(i % 3 + 1, e.step());
            assertEquals(3, e.stepsPerEpoch());
            assertEquals(sizes[i], e.images());
            assertEquals(i + 1, e.globalStep());
            assertTrue(e.realScore() > 0f && e.realScore() < 1f, "mean D(x) is a probability");
            assertTrue(e.fakeScore() > 0f && e.fakeScore() < 1f, "mean D(G(z)) is a probability");
            assertTrue(Float.isFinite(e.discriminatorLoss()) && e.discriminatorLoss() > 0f);
            assertTrue(Float.isFinite(e.generatorLoss()) && e.generatorLoss() > 0f);
            assertTrue(e.nanos() > 0);
        }
        assertEquals(2, r.epochs().size());
        assertEquals(2, r.epochs().get(1).epoch());
        assertEquals(Trainer.PREVIEW_COUNT * Dcgan.IMAGE_SIZE, r.epochs().get(0).previewImages().length);
        assertFalse(java.util.Arrays.equals(r.epochs().get(0).previewImages(), r.epochs().get(1).previewImages()),
                "the generator changed between the epochs");
    }

    @Test
    void theSeedFixesTheRunWhateverTheThreadCount() {
        Recorded a = train(11, 1);
        Recorded b = train(11, 2);
        Recorded c = train(12, 2);
        for (int i = 0; i < a.steps().size(); i++) {
            assertEquals(a.steps().get(i).discriminatorLoss(), b.steps().get(i).discriminatorLoss());
            assertEquals(a.steps().get(i).generatorLoss(), b.steps().get(i).generatorLoss());
        }
        assertArrayEquals(a.epochs().get(1).previewImages(), b.epochs().get(1).previewImages());
        assertNotEquals(a.steps().get(0).generatorLoss(), c.steps().get(0).generatorLoss());
    }
}
