package io.dcgan4j.engine.api;

/**
 * A loss became NaN or infinite: the weights are no longer usable, so training stopped before reporting the step or
 * writing anything. The last checkpoint written before it is the last good state.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The 1-based global step whose loss diverged. */
    private final long step;

    /**
     * A divergence at one step.
     *
     * @param step    the 1-based global step whose loss diverged
     * @param message what diverged, where
     */
    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    /** {@return the 1-based global step whose loss diverged} */
    public long step() {
        return step;
    }
}
