package io.dcgan4j.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The summary of a benchmark run: one row per benchmark and parameter set, with its time, its GFLOP/s and its share
 * of the FMA ceiling ({@link FmaCeilingBench}), and where its bytes are known ({@link Traffic}) its GB/s and share of
 * the memory bandwidth ({@link MemoryBandwidthBench}), both measured in the same run at the same thread count; with
 * {@link FmaCeilingProfiler}, also the ceiling read beside the row's own iterations and its share of that.
 */
public final class BenchReport {

    /** The ceiling benchmark, as rows name it. */
    public static final String CEILING = "FmaCeilingBench.fma";
    /** The bandwidth benchmark, as rows name it. */
    public static final String BANDWIDTH = "MemoryBandwidthBench.copy";

    /** Parameters shown first, in this order; any other follows in name order. */
    private static final List<String> PARAM_ORDER = List.of("layer", "call", "impl", "batch", "threads");

    /**
     * One benchmark at one parameter set.
     *
     * @param benchmark       {@code Class.method}, without the package
     * @param params          JMH parameters by name
     * @param msPerOp         average time of one call, or the fastest call's when {@code fastest}
     * @param msError         half-width of JMH's 99.9 % confidence interval; NaN when too few iterations ran, or
     *                        when {@code fastest}
     * @param flops           FLOPs of one call ({@link Flops}); empty when unknown
     * @param bytes           bytes one call moves at the least ({@link Traffic}); empty when not counted
     * @param allocBytesPerOp {@code gc.alloc.rate.norm} when run with the GC profiler
     * @param ceilingBeside   GFLOP/s of the FMA ceiling probed before and after each of the row's iterations, their
     *                        mean, when run with {@link FmaCeilingProfiler}
     * @param fastest         whether JMH timed every call (its sample mode) and {@code msPerOp} is the fastest one
     */
    public record Row(String benchmark, Map<String, String> params, double msPerOp, double msError,
                      OptionalLong flops, OptionalLong bytes, OptionalDouble allocBytesPerOp,
                      OptionalDouble ceilingBeside, boolean fastest) {

        public Row {
            params = Map.copyOf(params);
        }

        /** FLOPs per second over 1e9, when the FLOPs are known. */
        public OptionalDouble gflops() {
            return flops.isPresent() ? OptionalDouble.of(flops.getAsLong() / (msPerOp * 1e6)) : OptionalDouble.empty();
        }

        /** Bytes per second over 1e9, when the bytes are known. */
        public OptionalDouble gbPerSecond() {
            return bytes.isPresent() ? OptionalDouble.of(bytes.getAsLong() / (msPerOp * 1e6)) : OptionalDouble.empty();
        }

        /** The {@code threads} parameter, or 1 for a benchmark without one. */
        public int threads() {
            return Integer.parseInt(params.getOrDefault("threads", "1"));
        }
    }

    private BenchReport() {
    }

    /**
     * Rows from JMH's results, in their order: each the average call, or the fastest call of a run in JMH's sample
     * mode.
     *
     * @throws IllegalArgumentException if a result is not in milliseconds per operation (the suite's unit)
     */
    public static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            Result<?> primary = r.getPrimaryResult();
            if (!"ms/op".equals(primary.getScoreUnit())) {
                throw new IllegalArgumentException(p.getBenchmark() + " reports " + primary.getScoreUnit()
                        + "; the summary needs ms/op (average time in milliseconds)");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            String benchmark = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.',
                    p.getBenchmark().lastIndexOf('.') - 1) + 1);
            boolean fastest = p.getMode() == Mode.SampleTime;
            rows.add(new Row(benchmark, params, fastest ? primary.getStatistics().getMin() : primary.getScore(),
                    fastest ? Double.NaN : primary.getScoreError(), Flops.of(p.getBenchmark(), params),
                    Traffic.of(p.getBenchmark(), params), secondary(r, "gc.alloc.rate.norm"),
                    secondary(r, FmaCeilingProfiler.LABEL), fastest));
        }
        return rows;
    }

    /**
     * The secondary result {@code label} of a run with the profiler that makes it ({@code gc.alloc.rate.norm}, bytes
     * per call; {@link FmaCeilingProfiler#LABEL}, GFLOP/s); JMH may put a mark before the label.
     */
    @SuppressWarnings("rawtypes") // JMH types its secondary results with the raw Result
    private static OptionalDouble secondary(RunResult r, String label) {
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(label)) {
                return OptionalDouble.of(e.getValue().getScore());
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The table: benchmark, parameters, ms/op with its error, GFLOP/s and % of the ceiling; the ceiling probed beside
     * the row and % of it when any row has one; GB/s and % of the bandwidth when any row has a byte count; B/op when
     * any row has an allocation figure. A row whose thread count has no ceiling in {@code rows} is compared with the
     * ceiling of the nearest thread count scaled linearly, and marked {@code *}; bandwidth does not scale so, and such
     * a row gets no share of it.
     */
    public static String table(List<Row> rows) {
        TreeMap<Integer, Double> ceilings = references(rows, CEILING, Row::gflops);
        TreeMap<Integer, Double> bandwidths = references(rows, BANDWIDTH, Row::gbPerSecond);
        boolean traffic = rows.stream().anyMatch(r -> r.bytes().isPresent());
        boolean alloc = rows.stream().anyMatch(r -> r.allocBytesPerOp().isPresent());
        boolean beside = rows.stream().anyMatch(r -> r.ceilingBeside().isPresent());
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("benchmark", "params", "ms/op", "±", "GFLOP/s", "% ceiling"));
        if (beside) {
            header.addAll(List.of("ceiling beside", "% beside"));
        }
        if (traffic) {
            header.addAll(List.of("GB/s", "% bandwidth"));
        }
        if (alloc) {
            header.add("B/op");
        }
        cells.add(header);
        boolean scaled = false;
        for (Row r : rows) {
            String share = "-";
            if (r.gflops().isPresent() && !ceilings.isEmpty()) {
                int threads = r.threads();
                Integer nearest = ceilings.containsKey(threads) ? Integer.valueOf(threads) : nearest(ceilings, threads);
                double ceiling = ceilings.get(nearest) * threads / nearest;
                share = format("%.1f", 100 * r.gflops().getAsDouble() / ceiling);
                if (nearest != threads) {
                    share += "*";
                    scaled = true;
                }
            }
            List<String> row = new ArrayList<>(List.of(r.benchmark(), params(r.params()), decimals(r.msPerOp()),
                    Double.isNaN(r.msError()) ? "" : decimals(r.msError()),
                    r.gflops().isPresent() ? format("%.1f", r.gflops().getAsDouble()) : "-", share));
            if (beside) {
                row.add(r.ceilingBeside().isPresent() ? format("%.1f", r.ceilingBeside().getAsDouble()) : "-");
                row.add(r.ceilingBeside().isPresent() && r.gflops().isPresent()
                        ? format("%.1f", 100 * r.gflops().getAsDouble() / r.ceilingBeside().getAsDouble()) : "-");
            }
            if (traffic) {
                Double bandwidth = bandwidths.get(r.threads());
                row.add(r.gbPerSecond().isPresent() ? format("%.1f", r.gbPerSecond().getAsDouble()) : "-");
                row.add(r.gbPerSecond().isPresent() && bandwidth != null
                        ? format("%.1f", 100 * r.gbPerSecond().getAsDouble() / bandwidth) : "-");
            }
            if (alloc) {
                row.add(r.allocBytesPerOp().isPresent() ? format("%.0f", r.allocBytesPerOp().getAsDouble()) : "-");
            }
            cells.add(row);
        }
        StringBuilder out = new StringBuilder();
        int[] widths = new int[header.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                // Text columns align left, numbers right.
                String cell = i < 2 ? pad(row.get(i), widths[i], false) : pad(row.get(i), widths[i], true);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        footer(out, "% ceiling", "GFLOP/s", CEILING, ceilings);
        if (scaled) {
            out.append("* no ceiling at that thread count: the nearest one, scaled linearly\n");
        }
        if (beside) {
            out.append("% beside: GFLOP/s over the FMA ceiling (GFLOP/s) probed before and after each of the row's"
                    + " iterations at its thread count, their mean (FmaCeilingProfiler)\n");
        }
        if (rows.stream().anyMatch(Row::fastest)) {
            out.append("ms/op: each row's fastest call (JMH's sample mode), and the GFLOP/s and shares from it\n");
        }
        if (traffic) {
            footer(out, "% bandwidth", "GB/s", BANDWIDTH, bandwidths);
        }
        return out.toString();
    }

    /** The GFLOP/s or GB/s of {@code benchmark}'s rows, by thread count. */
    private static TreeMap<Integer, Double> references(List<Row> rows, String benchmark,
                                                       Function<Row, OptionalDouble> rate) {
        TreeMap<Integer, Double> byThreads = new TreeMap<>();
        for (Row r : rows) {
            if (r.benchmark().equals(benchmark) && rate.apply(r).isPresent()) {
                byThreads.put(r.threads(), rate.apply(r).getAsDouble());
            }
        }
        return byThreads;
    }

    /** The line that says what a share column is relative to, or that the run has no reference for it. */
    private static void footer(StringBuilder out, String column, String unit, String benchmark,
                               TreeMap<Integer, Double> references) {
        if (references.isEmpty()) {
            out.append(column).append(": no ").append(benchmark).append(" result in this run\n");
            return;
        }
        out.append(column).append(": ").append(unit).append(" over ").append(benchmark)
                .append(" at the same thread count");
        references.forEach((t, g) -> out.append(format(", %d thread%s %.1f", t, t == 1 ? "" : "s", g)));
        out.append('\n');
    }

    private static int nearest(TreeMap<Integer, Double> ceilings, int threads) {
        Integer below = ceilings.floorKey(threads);
        Integer above = ceilings.ceilingKey(threads);
        if (below == null) {
            return above;
        }
        if (above == null) {
            return below;
        }
        return threads - below <= above - threads ? below : above;
    }

    private static String params(Map<String, String> params) {
        List<String> keys = new ArrayList<>(params.keySet());
        keys.sort((a, b) -> {
            int ia = PARAM_ORDER.indexOf(a);
            int ib = PARAM_ORDER.indexOf(b);
            if (ia >= 0 || ib >= 0) {
                return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
            }
            return a.compareTo(b);
        });
        StringBuilder s = new StringBuilder();
        for (String k : keys) {
            s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(params.get(k));
        }
        return s.toString();
    }

    /** Four significant digits for times from microseconds to seconds, without an exponent. */
    private static String decimals(double ms) {
        double a = Math.abs(ms);
        String pattern = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 1 ? "%.3f" : "%.4f";
        return format(pattern, ms);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
