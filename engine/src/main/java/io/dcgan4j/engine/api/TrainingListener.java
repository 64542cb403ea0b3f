package io.dcgan4j.engine.api;

/** Receives a {@link Trainer}'s progress; called on the training thread, between steps. */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * After every train step.
     *
     * @param event the step's outcome
     */
    default void onStep(StepEvent event) {
    }

    /**
     * After every epoch, with the preview grid's images generated in inference mode.
     *
     * @param event the epoch's end
     */
    default void onEpochEnd(EpochEvent event) {
    }

    /**
     * A condition worth a user's attention that does not stop training, e.g. a discriminator that wins every batch.
     *
     * @param message one line saying what was seen and what it usually means
     */
    default void onWarning(String message) {
    }

    /**
     * One train step's outcome.
     *
     * @param epoch          1-based epoch
     * @param step           1-based step within the epoch
     * @param stepsPerEpoch  steps in each epoch (the last batch may be partial)
     * @param globalStep     1-based step counted over the whole run, across resumes
     * @param images         real images in this step's batch
     * @param discriminatorLoss d_loss as the seed reports it
     * @param generatorLoss  g_loss as the seed reports it
     * @param realScore      mean D(x) over the real batch, before D's update
     * @param fakeScore      mean D(G(z)) over the fake batch, before D's update
     * @param nanos          wall time of the step
     */
    record StepEvent(int epoch, int step, int stepsPerEpoch, long globalStep, int images, float discriminatorLoss,
                     float generatorLoss, float realScore, float fakeScore, long nanos) {
    }

    /**
     * The end of an epoch.
     *
     * @param epoch         1-based epoch just finished
     * @param epochs        epochs in the run
     * @param previewImages {@link Trainer#PREVIEW_COUNT} images {@code [16,28,28,1]} in [−1, 1] from the run's
     *                      fixed preview noise
     * @param nanos         wall time of the epoch's steps
     */
    record EpochEvent(int epoch, int epochs, float[] previewImages, long nanos) {
    }
}
