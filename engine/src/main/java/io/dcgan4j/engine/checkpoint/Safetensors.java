package io.dcgan4j.engine.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcgan4j.engine.api.CheckpointException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors), float32 only: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range in the data section, padded with spaces to a multiple of 8,
 * then the raw little-endian data, tensors back to back. String metadata sits under {@code __metadata__}.
 */
public final class Safetensors {

    /** The header key of the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";
    /** Larger headers are refused before reading: a corrupt length must not allocate gigabytes. */
    static final long MAX_HEADER_BYTES = 16L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_BYTES = 1 << 20;

    /**
     * One tensor: row-major float32 values and their shape.
     *
     * @param shape  dimensions, outermost first
     * @param values {@code product(shape)} values
     */
    public record Entry(int[] shape, float[] values) {
        public Entry {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                        + " values, got " + values.length);
            }
        }
    }

    /**
     * A whole file.
     *
     * @param tensors  tensors by name, in file order
     * @param metadata the {@code __metadata__} strings
     */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code channel}. */
    public static void write(WritableByteChannel channel, Map<String, Entry> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject(METADATA_KEY);
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().values().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        writeFully(channel, head.flip());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : tensors.values()) {
            float[] v = e.values();
            for (int i = 0; i < v.length; ) {
                int n = Math.min(v.length - i, CHUNK_BYTES / 4);
                chunk.clear();
                chunk.asFloatBuffer().put(v, i, n);
                chunk.limit(4 * n);
                writeFully(channel, chunk);
                i += n;
            }
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads and checks a whole file; every problem is a {@link CheckpointException} naming the entry. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file, "not a safetensors file: " + size + " bytes, shorter than the "
                        + "8-byte header length");
            }
            ByteBuffer lengthBytes = readExactly(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes.getLong();
            if (headerLength < 2 || headerLength > size - 8 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(file, "not a safetensors file: header length " + headerLength
                        + " does not fit a file of " + size + " bytes (truncated or not this format)");
            }
            ByteBuffer headerBytes = readExactly(ch, 8, (int) headerLength);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new CheckpointException(file, "not a safetensors file: the header is not valid JSON ("
                        + e.getOriginalMessage() + ")", e);
            }
            if (header == null || !header.isObject()) {
                throw new CheckpointException(file, "not a safetensors file: the header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            Map<String, String> metadata = readMetadata(file, header.get(METADATA_KEY));
            List<Span> spans = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals(METADATA_KEY)) {
                    spans.add(span(file, e.getKey(), e.getValue(), dataLength));
                }
            }
            checkCoverage(file, spans, dataLength);
            Map<String, Entry> tensors = new LinkedHashMap<>();
            for (Span s : spans) {
                ByteBuffer bytes = readExactly(ch, dataStart + s.begin, (int) (s.end - s.begin))
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] values = new float[(int) ((s.end - s.begin) / 4)];
                bytes.asFloatBuffer().get(values);
                tensors.put(s.name, new Entry(s.shape, values));
            }
            return new Contents(Collections.unmodifiableMap(tensors), metadata);
        }
    }

    private record Span(String name, int[] shape, long begin, long end) {
    }

    private static Map<String, String> readMetadata(Path file, JsonNode node) throws CheckpointException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new CheckpointException(file, METADATA_KEY + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(file, METADATA_KEY + " entry '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Span span(Path file, String name, JsonNode t, long dataLength) throws CheckpointException {
        String where = "tensor '" + name + "'";
        if (!t.isObject()) {
            throw new CheckpointException(file, where + " is not described by a JSON object");
        }
        JsonNode dtype = t.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new CheckpointException(file, where + " has no dtype");
        }
        if (!dtype.textValue().equals("F32")) {
            throw new CheckpointException(file, where + " has dtype " + dtype.textValue() + "; dcgan4j stores F32");
        }
        JsonNode shapeNode = t.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new CheckpointException(file, where + " has no shape");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0) {
                throw new CheckpointException(file, where + " has a bad dimension " + d + " in its shape");
            }
            shape[i] = d.intValue();
            count *= shape[i];
        }
        JsonNode offsets = t.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
                || !offsets.get(1).isIntegralNumber()) {
            throw new CheckpointException(file, where + " has no data_offsets [begin, end]");
        }
        long begin = offsets.get(0).longValue(), end = offsets.get(1).longValue();
        if (begin < 0 || end < begin || end > dataLength) {
            throw new CheckpointException(file, where + " has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataLength + "-byte data section (truncated file?)");
        }
        if (end - begin != 4 * count) {
            throw new CheckpointException(file, where + " of shape " + Arrays.toString(shape) + " needs "
                    + 4 * count + " bytes, its data_offsets span " + (end - begin));
        }
        return new Span(name, shape, begin, end);
    }

    /** The spans must tile the data section exactly, as the reference implementation requires. */
    private static void checkCoverage(Path file, List<Span> spans, long dataLength) throws CheckpointException {
        spans.sort(Comparator.comparingLong(Span::begin));
        long next = 0;
        for (Span s : spans) {
            if (s.begin != next) {
                throw new CheckpointException(file, "tensor '" + s.name + "' starts at byte " + s.begin
                        + " of the data section, expected " + next + " (overlapping or gapped tensors)");
            }
            next = s.end;
        }
        if (next != dataLength) {
            throw new CheckpointException(file, "the data section holds " + dataLength + " bytes, the tensors "
                    + next + " (truncated or trailing data)");
        }
    }

    private static ByteBuffer readExactly(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new EOFException("unexpected end of file");
            }
        }
        return b.flip();
    }
}
