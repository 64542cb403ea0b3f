package io.dcgan4j.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file whose content is not what an IDX reader or the data set expects. The message always starts with the file
 * and then says what is wrong, so a command-line tool can print it as it is.
 */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file at fault; transient because {@link Path} is not serializable. */
    private final transient Path file;

    /** A problem with {@code file}; the message is {@code "FILE: problem"}. */
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem with {@code file} found through {@code cause} (a corrupt gzip stream, for one). */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault (null after deserialization). */
    public Path file() {
        return file;
    }
}
