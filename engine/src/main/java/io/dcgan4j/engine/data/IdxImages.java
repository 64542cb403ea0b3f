package io.dcgan4j.engine.data;

/**
 * The images of an IDX file: {@code count} images of {@code rows}×{@code columns} unsigned bytes, row-major, one image
 * after the other, as in the file.
 *
 * @param count   number of images
 * @param rows    rows per image
 * @param columns columns per image
 * @param pixels  {@code count*rows*columns} pixel bytes (read them as {@code b & 0xFF}); not copied
 */
public record IdxImages(int count, int rows, int columns, byte[] pixels) {

    /** Checks that the dimensions are positive and that {@code pixels} holds exactly that many bytes. */
    public IdxImages {
        if (count < 1 || rows < 1 || columns < 1) {
            throw new IllegalArgumentException("dimensions must be positive, got " + count + " images of "
                    + rows + "×" + columns);
        }
        if (pixels.length != (long) count * rows * columns) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + count + " images of "
                    + rows + "×" + columns);
        }
    }
}
