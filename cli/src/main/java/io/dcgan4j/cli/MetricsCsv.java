package io.dcgan4j.cli;

import io.dcgan4j.engine.api.SampleQuality.Scores;
import io.dcgan4j.engine.api.TrainingListener.StepEvent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv}: one row per train step. The last three columns are empty except on the last step of an epoch
 * that {@code --eval-every} evaluated. A resumed run keeps the rows up to its checkpoint's step and appends, so the
 * file always describes one unbroken run.
 */
final class MetricsCsv implements AutoCloseable {

    static final String FILE_NAME = "metrics.csv";
    static final String HEADER = "epoch,step,d_loss,g_loss,d_real,d_fake,ms_per_step,images_per_second,"
            + "fcd_mnist_classifier,classifier_score,class_entropy";
    /** Columns of a row; files written before the evaluation columns existed have the first 8. */
    private static final int COLUMNS = 11;
    private static final int STEP_COLUMNS = 8;

    /** One row, as the loss plot needs it. */
    record Row(long step, float discriminatorLoss, float generatorLoss) {
    }

    private final BufferedWriter out;
    private final List<Row> rows;
    /** The newest step's columns, written when the next step arrives or on flush, so an evaluation can join it. */
    private String pending;

    private MetricsCsv(BufferedWriter out, List<Row> rows) {
        this.out = out;
        this.rows = rows;
    }

    /** A new file in {@code dir}, or the existing one cut back to the rows of steps up to {@code keepUpToStep}. */
    static MetricsCsv open(Path dir, long keepUpToStep) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<String> kept = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        if (keepUpToStep > 0 && Files.isRegularFile(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",", -1);
                if ((f.length == STEP_COLUMNS || f.length == COLUMNS) && Long.parseLong(f[1]) <= keepUpToStep) {
                    kept.add(f.length == COLUMNS ? lines.get(i) : lines.get(i) + ",,,");
                    rows.add(new Row(Long.parseLong(f[1]), Float.parseFloat(f[2]), Float.parseFloat(f[3])));
                }
            }
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.newLine();
        for (String line : kept) {
            out.write(line);
            out.newLine();
        }
        out.flush();
        return new MetricsCsv(out, rows);
    }

    void add(StepEvent e) throws IOException {
        writePending(",,,");
        double ms = e.nanos() / 1e6;
        pending = String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%.3f,%.1f", e.epoch(), e.globalStep(),
                e.discriminatorLoss(), e.generatorLoss(), e.realScore(), e.fakeScore(), ms,
                e.images() / (ms / 1e3));
        rows.add(new Row(e.globalStep(), e.discriminatorLoss(), e.generatorLoss()));
    }

    /** Puts an evaluation's numbers on the newest step's row. */
    void addEvaluation(Scores s) throws IOException {
        writePending(String.format(Locale.ROOT, ",%s,%s,%s", s.fcd(), s.classifierScore(), s.classEntropy()));
    }

    private void writePending(String evaluationColumns) throws IOException {
        if (pending != null) {
            out.write(pending + evaluationColumns);
            out.newLine();
            pending = null;
        }
    }

    /** Makes every row so far visible to readers of the file. */
    void flush() throws IOException {
        writePending(",,,");
        out.flush();
    }

    List<Row> rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        writePending(",,,");
        out.close();
    }
}
