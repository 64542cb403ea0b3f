package io.dcgan4j.cli;

/** A run that could not go on, with the one line to show (exit code 1). */
final class TrainingFailure extends RuntimeException {

    TrainingFailure(String message) {
        super(message);
    }
}
