package io.dcgan4j.engine.checkpoint;

import io.dcgan4j.engine.api.CheckpointException;

import java.nio.file.Path;
import java.util.Map;

/**
 * Typed access to a safetensors file's metadata strings, each failure naming the file and the key.
 *
 * @param file where the metadata was read from, for messages
 * @param meta the {@code __metadata__} strings
 */
public record MetadataFields(Path file, Map<String, String> meta) {

    /** The string under {@code key}. */
    public String text(String key) throws CheckpointException {
        String v = meta.get(key);
        if (v == null) {
            throw new CheckpointException(file, "metadata entry '" + key + "' is missing");
        }
        return v;
    }

    /** The whole number under {@code key}. */
    public long longValue(String key) throws CheckpointException {
        try {
            return Long.parseLong(text(key));
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "metadata entry '" + key + "' is not a whole number: '"
                    + meta.get(key) + "'");
        }
    }

    /** The whole number under {@code key}, within int's range. */
    public int integer(String key) throws CheckpointException {
        long v = longValue(key);
        if (v != (int) v) {
            throw new CheckpointException(file, "metadata entry '" + key + "' is out of range: " + v);
        }
        return (int) v;
    }

    /** The finite number under {@code key}. */
    public double number(String key) throws CheckpointException {
        try {
            double v = Double.parseDouble(text(key));
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "metadata entry '" + key + "' is not a finite number: '"
                    + meta.get(key) + "'");
        }
    }
}
