package io.dcgan4j.cli;

/** A run that could not go on, with the one line to show (exit code 1). */
final class TrainingFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TrainingFailure(String message) {
        super(message);
    }
}
