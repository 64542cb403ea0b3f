package io.dcgan4j.cli;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line a user reads. */
final class Errors {

    private Errors() {
    }

    /** The exception's message; the file-system exceptions that carry only a path get a reason added. */
    static String describe(Throwable ex) {
        return switch (ex) {
            case UncheckedIOException e -> describe(e.getCause());
            case FileSystemException e when e.getReason() == null -> e.getMessage() + ": " + switch (e) {
                case NoSuchFileException n -> "no such file or directory";
                case AccessDeniedException a -> "permission denied";
                case FileAlreadyExistsException f -> "already exists";
                default -> e.getClass().getSimpleName();
            };
            case UnknownHostException e -> "unknown host " + e.getMessage() + " (offline?)";
            case ConnectException e -> "cannot connect" + (e.getMessage() != null ? " (" + e.getMessage()
                    + ")" : "") + " (offline?)";
            case HttpTimeoutException e -> "timed out";
            case OutOfMemoryError e -> "out of memory (" + e.getMessage() + "); give the JVM more with -Xmx";
            default -> ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        };
    }
}
