package io.dcgan4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks the kernel tests share: tolerance and bit-for-bit comparisons that report the worst (or first) bad
 * element, thread-count determinism, argument rejection, and the central differences gradients are checked against.
 */
final class KernelAssertions {

    private KernelAssertions() {
    }

    /**
     * Every element within {@code |actual − expected| <= atol + rtol·|expected|} (NaN fails); otherwise fails on the
     * element that exceeds its allowance by the largest factor, with its index and values.
     */
    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        int worst = -1;
        double worstRatio = 0.0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!(diff <= allowed)) {
                double ratio = Double.isNaN(diff) || Double.isNaN(allowed) ? Double.POSITIVE_INFINITY
                        : diff / allowed;
                if (worst < 0 || ratio > worstRatio) {
                    worst = i;
                    worstRatio = ratio;
                }
            }
        }
        if (worst >= 0) {
            fail(what + ": worst element [" + worst + "] expected " + expected[worst] + ", got " + actual[worst]
                    + " (|diff| " + Math.abs((double) actual[worst] - expected[worst]) + ", atol " + atol
                    + ", rtol " + rtol + ")");
        }
    }

    /**
     * The same bits element by element ({@link Float#floatToIntBits}, so any NaN equals any NaN, and 0 differs from
     * −0); otherwise fails naming the first differing element and how many differ.
     */
    static void assertBitIdentical(String what, float[] expected, float[] actual) {
        assertNotNull(actual, what);
        assertEquals(expected.length, actual.length, what + ": lengths");
        int first = -1;
        int count = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                if (first < 0) {
                    first = i;
                }
                count++;
            }
        }
        if (first >= 0) {
            fail(what + ": " + count + " of " + expected.length + " elements differ, first [" + first + "] expected "
                    + expected[first] + ", got " + actual[first]);
        }
    }

    /**
     * Thread counts the determinism checks compare: 7 makes the GEMM cut 28 tiles where 1 and 2 threads cut 8, so the
     * output tiling differs while the summation must not.
     */
    static final int[] THREAD_COUNTS = {1, 2, 3, 7};

    /**
     * Runs {@code run} on pools of each of {@link #THREAD_COUNTS} threads and asserts that each of the arrays it
     * returns, named by {@code names}, is bit-identical to the 1-thread result.
     */
    static void assertSameForAnyThreadCount(Function<Parallel, float[][]> run, String... names) {
        float[][] first = null;
        for (int threads : THREAD_COUNTS) {
            float[][] out;
            try (Parallel pool = new Parallel(threads)) {
                out = run.apply(pool);
            }
            assertEquals(names.length, out.length, "outputs");
            if (first == null) {
                first = out;
            } else {
                for (int k = 0; k < out.length; k++) {
                    assertBitIdentical(names[k] + ", threads=" + threads, first[k], out[k]);
                }
            }
        }
    }

    /** {@code call} throws an {@link IllegalArgumentException} whose message starts with the argument's name. */
    static void assertRejects(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument + " "), "message should name " + argument + ": "
                + e.getMessage());
    }

    /**
     * {@code ∂f/∂a[i]} by central differences with the step {@code h = step·max(1, |a[i]|)}; {@code f} reads
     * {@code a}, and {@code a[i]} is restored afterwards.
     */
    static double centralDifference(double[] a, int i, double step, DoubleSupplier f) {
        double h = step * Math.max(1.0, Math.abs(a[i]));
        double saved = a[i];
        a[i] = saved + h;
        double plus = f.getAsDouble();
        a[i] = saved - h;
        double minus = f.getAsDouble();
        a[i] = saved;
        return (plus - minus) / (2 * h);
    }

    /** {@code f'(x)} by central differences with the step {@code h = step·max(1, |x|)}. */
    static double centralDifference(double x, double step, DoubleUnaryOperator f) {
        double h = step * Math.max(1.0, Math.abs(x));
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }
}
