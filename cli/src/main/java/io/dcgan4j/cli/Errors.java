package io.dcgan4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line a user reads. */
final class Errors {

    private Errors() {
    }

    /** The exception's message, with the file-system exceptions whose message is only a path made readable. */
    static String describe(Throwable ex) {
        return switch (ex) {
            case UncheckedIOException e -> describe(e.getCause());
            case NoSuchFileException e -> e.getFile() + ": no such file or directory";
            case AccessDeniedException e -> e.getFile() + ": permission denied";
            case FileAlreadyExistsException e -> e.getFile() + ": already exists";
            case OutOfMemoryError e -> "out of memory (" + e.getMessage() + "); give the JVM more with -Xmx";
            default -> ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        };
    }
}
