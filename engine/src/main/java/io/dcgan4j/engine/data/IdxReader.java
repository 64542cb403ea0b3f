package io.dcgan4j.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the MNIST format), raw or gzip-compressed; the content decides which, not the name.
 *
 * <p>The header is a magic number (two zero bytes, the type byte {@code 0x08}, the number of dimensions) and one
 * big-endian 32-bit size per dimension; the data follows in row-major order. Every problem is reported as an
 * {@link IdxFormatException} naming the file. A header that claims more data than the file holds never makes the
 * reader allocate the claimed size: a raw file's size is checked first, and a gzip stream is read into a buffer that
 * grows only as data arrives.
 *
 * <p>With a limit, only the first {@code limit} items are kept; a file holding fewer is not an error (the caller
 * decides). The whole file is checked either way: a file shorter or longer than its header says is an error, and a
 * gzip stream is read to its end, which checks its CRC, so a damaged file is reported even when only its first
 * images are used.
 */
public final class IdxReader {

    /** The largest array length every JVM allocates. */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int IMAGE_DIMENSIONS = 3;
    private static final int LABEL_DIMENSIONS = 1;
    private static final String[] IMAGE_DIMENSION_NAMES = {"number of images", "number of rows", "number of columns"};
    private static final String[] LABEL_DIMENSION_NAMES = {"number of labels"};
    private static final int IO_BUFFER = 1 << 16;
    /** First size of the gzip data buffer; it doubles as data keeps arriving, up to what the header claims. */
    private static final int FIRST_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** Reads every image of an IDX image file (3 dimensions: count, rows, columns). */
    public static IdxImages readImages(Path file) throws IOException {
        return readImages(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code limit} images (or all, if the file holds fewer) of an IDX image file. */
    public static IdxImages readImages(Path file, int limit) throws IOException {
        Idx idx = read(file, IMAGE_DIMENSIONS, limit);
        return new IdxImages(idx.items(), idx.dims()[1], idx.dims()[2], idx.data());
    }

    /** Reads every label of an IDX label file (1 dimension: count). Values are not checked (0–9 for MNIST). */
    public static byte[] readLabels(Path file) throws IOException {
        return readLabels(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code limit} labels (or all, if the file holds fewer) of an IDX label file. */
    public static byte[] readLabels(Path file, int limit) throws IOException {
        return read(file, LABEL_DIMENSIONS, limit).data();
    }

    /** The header's dimensions, how many items (first dimension) were read, and their bytes. */
    private record Idx(int[] dims, int items, byte[] data) {
    }

    private static Idx read(Path file, int dimensions, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory, not an IDX file");
        }
        InputStream fileStream;
        try {
            fileStream = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (BufferedInputStream buffered = new BufferedInputStream(fileStream, IO_BUFFER)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            if (!gzip) {
                return new Reader(file, buffered, false, Files.size(file)).read(dimensions, limit);
            }
            try (GZIPInputStream inflated = new GZIPInputStream(buffered, IO_BUFFER)) {
                return new Reader(file, inflated, true, -1).read(dimensions, limit);
            } catch (ZipException | EOFException e) {
                // Thrown by the constructor when the gzip header itself is bad; Reader wraps those it meets later.
                throw gzipError(file, e);
            }
        }
    }

    private static IdxFormatException gzipError(Path file, IOException e) {
        String what = e instanceof EOFException ? "truncated gzip stream" : "corrupt gzip stream";
        return new IdxFormatException(file, what + " (" + e.getMessage() + ")", e);
    }

    /** One pass over one file's decoded bytes. */
    private static final class Reader {

        private final Path file;
        private final InputStream in;
        private final boolean gzip;
        /** The raw file's size, or -1 for gzip, whose decompressed size is only known once it has been read. */
        private final long fileSize;

        Reader(Path file, InputStream in, boolean gzip, long fileSize) {
            this.file = file;
            this.in = in;
            this.gzip = gzip;
            this.fileSize = fileSize;
        }

        Idx read(int dimensions, int limit) throws IOException {
            int[] dims = header(dimensions);
            int items = Math.min(dims[0], limit);
            boolean whole = items == dims[0];
            long itemSize = 1;
            for (int d = 1; d < dims.length; d++) {
                itemSize *= dims[d];
            }
            BigInteger total = BigInteger.valueOf(items).multiply(BigInteger.valueOf(itemSize));
            String claim = claim(dims, items, total);
            if (total.compareTo(BigInteger.valueOf(MAX_ARRAY_LENGTH)) > 0) {
                throw problem(claim + ", more than a Java array can hold (" + MAX_ARRAY_LENGTH + " bytes)");
            }
            int bytes = total.intValueExact();
            BigInteger fileBytes = BigInteger.valueOf(dims[0]).multiply(BigInteger.valueOf(itemSize));
            String fileClaim = whole ? claim : claim(dims, dims[0], fileBytes);
            long headerBytes = 4L + 4L * dimensions;
            byte[] data;
            if (gzip) {
                data = readGrowing(bytes, fileClaim);
                BigInteger rest = BigInteger.valueOf(skipToEnd());
                BigInteger expected = fileBytes.subtract(total);
                if (rest.compareTo(expected) < 0) {
                    throw problem(truncated(fileClaim, total.add(rest)));
                }
                if (rest.compareTo(expected) > 0) {
                    throw problem(trailing(fileClaim, rest.subtract(expected)));
                }
            } else {
                data = readRaw(bytes, fileSize - headerBytes, fileBytes, fileClaim);
            }
            return new Idx(dims, items, data);
        }

        private int[] header(int expected) throws IOException {
            byte[] magic = new byte[4];
            int got = readFully(magic, 0, 4);
            if (got == 0) {
                throw problem(gzip ? "empty file (the gzip stream holds no data)" : "empty file");
            }
            if (got < 4) {
                throw problem("truncated header: " + source() + " ends after " + got
                        + " bytes, an IDX file starts with a 4-byte magic number");
            }
            if (magic[0] != 0 || magic[1] != 0) {
                throw problem(String.format("not an IDX file: bad magic number 0x%02X%02X%02X%02X (an IDX file starts"
                        + " with two zero bytes, then its type and number of dimensions)",
                        magic[0], magic[1], magic[2], magic[3]));
            }
            if (magic[2] != TYPE_UNSIGNED_BYTE) {
                throw problem(String.format("IDX data type 0x%02X (%s), only 0x08 (unsigned byte) is supported",
                        magic[2], typeName(magic[2])));
            }
            int dimensions = magic[3] & 0xFF;
            if (dimensions != expected) {
                throw problem("this is " + describe(dimensions) + ", expected "
                        + (expected == IMAGE_DIMENSIONS ? "images (3 dimensions)" : "labels (1 dimension)"));
            }
            byte[] sizes = new byte[4 * dimensions];
            got = readFully(sizes, 0, sizes.length);
            if (got < sizes.length) {
                throw problem("truncated header: " + source() + " ends after " + (4 + got)
                        + " bytes, the header of an IDX file with " + dimensions + " dimensions is "
                        + (4 + sizes.length) + " bytes");
            }
            String[] names = dimensions == IMAGE_DIMENSIONS ? IMAGE_DIMENSION_NAMES : LABEL_DIMENSION_NAMES;
            int[] dims = new int[dimensions];
            for (int d = 0; d < dimensions; d++) {
                int i = 4 * d;
                dims[d] = (sizes[i] & 0xFF) << 24 | (sizes[i + 1] & 0xFF) << 16 | (sizes[i + 2] & 0xFF) << 8
                        | sizes[i + 3] & 0xFF;
                if (dims[d] == 0) {
                    throw problem("bad header: the " + names[d] + " is 0");
                }
                if (dims[d] < 0) {
                    throw problem("bad header: the " + names[d] + " is " + Integer.toUnsignedString(dims[d])
                            + " (negative as a signed 32-bit integer)");
                }
            }
            return dims;
        }

        /** A raw file: its size tells up front whether the data is all there, before anything is allocated. */
        private byte[] readRaw(int bytes, long available, BigInteger fileBytes, String fileClaim) throws IOException {
            int cmp = BigInteger.valueOf(available).compareTo(fileBytes);
            if (cmp < 0) {
                throw problem(truncated(fileClaim, BigInteger.valueOf(available)));
            }
            if (cmp > 0) {
                throw problem(trailing(fileClaim, BigInteger.valueOf(available).subtract(fileBytes)));
            }
            byte[] data = new byte[bytes];
            int got = readFully(data, 0, bytes);
            if (got < bytes) {
                // The file shrank while it was read.
                throw problem(truncated(fileClaim, BigInteger.valueOf(got)));
            }
            return data;
        }

        /** A gzip stream: memory follows the data that actually arrives, so a lying header cannot exhaust it. */
        private byte[] readGrowing(int bytes, String claim) throws IOException {
            byte[] data = new byte[Math.min(bytes, FIRST_CHUNK)];
            int got = 0;
            while (true) {
                got += readFully(data, got, data.length - got);
                if (got < data.length) {
                    throw problem(truncated(claim, BigInteger.valueOf(got)));
                }
                if (got == bytes) {
                    return data;
                }
                data = Arrays.copyOf(data, (int) Math.min(bytes, 2L * data.length));
            }
        }

        /** Reads to the end of the stream, which also makes the gzip stream check its CRC; returns the bytes met. */
        private long skipToEnd() throws IOException {
            byte[] scratch = new byte[IO_BUFFER];
            long extra = 0;
            int got;
            while ((got = readFully(scratch, 0, scratch.length)) > 0) {
                extra += got;
            }
            return extra;
        }

        /** Reads until {@code len} bytes or the end; returns how many were read. */
        private int readFully(byte[] b, int off, int len) throws IOException {
            int total = 0;
            try {
                while (total < len) {
                    int r = in.read(b, off + total, len - total);
                    if (r < 0) {
                        break;
                    }
                    total += r;
                }
            } catch (ZipException | EOFException e) {
                if (!gzip) {
                    throw e;
                }
                throw gzipError(file, e);
            }
            return total;
        }

        private String source() {
            return gzip ? "the decompressed data" : "the file";
        }

        private IdxFormatException problem(String what) {
            return new IdxFormatException(file, what);
        }

        private static String claim(int[] dims, int items, BigInteger bytes) {
            String what = dims.length == IMAGE_DIMENSIONS
                    ? dims[0] + (dims[0] == 1 ? " image of " : " images of ") + dims[1] + "×" + dims[2]
                    : dims[0] + (dims[0] == 1 ? " label" : " labels");
            return items == dims[0]
                    ? "header says " + what + " (" + bytes + " bytes)"
                    : "header says " + what + ", the first " + items + " take " + bytes + " bytes";
        }

        private static String truncated(String claim, BigInteger available) {
            return claim + " but the data ends after " + available + " bytes";
        }

        private static String trailing(String claim, BigInteger extra) {
            return claim + " but " + extra + " trailing bytes follow the data";
        }

        private static String describe(int dimensions) {
            return switch (dimensions) {
                case LABEL_DIMENSIONS -> "an IDX label file (1 dimension)";
                case IMAGE_DIMENSIONS -> "an IDX image file (3 dimensions)";
                default -> "an IDX file with " + dimensions + " dimensions";
            };
        }

        private static String typeName(byte type) {
            return switch (type) {
                case 0x09 -> "signed byte";
                case 0x0B -> "short";
                case 0x0C -> "int";
                case 0x0D -> "float";
                case 0x0E -> "double";
                default -> "unknown";
            };
        }
    }
}
