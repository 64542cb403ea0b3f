package io.dcgan4j.engine.api;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be used: bad format, a missing or misshapen tensor, or a config that does not match. */
public final class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * A checkpoint problem without an underlying exception.
     *
     * @param file   the checkpoint file
     * @param reason what is wrong, naming the offending entry
     */
    public CheckpointException(Path file, String reason) {
        super(file + ": " + reason);
    }

    /**
     * A checkpoint problem found through another exception.
     *
     * @param file   the checkpoint file
     * @param reason what is wrong, naming the offending entry
     * @param cause  the underlying failure
     */
    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
