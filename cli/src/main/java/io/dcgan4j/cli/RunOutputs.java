package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Gan;
import io.dcgan4j.engine.api.ImageGrid;
import io.dcgan4j.engine.api.SampleQuality;
import io.dcgan4j.engine.api.SampleQuality.Scores;
import io.dcgan4j.engine.api.Trainer;
import io.dcgan4j.engine.api.TrainingListener;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a training run's folder: {@code image_at_epoch_NNNN.png} after every epoch (4×4 grid, each pixel drawn
 * 4×4), {@code metrics.csv} and {@code losses.png}, {@code checkpoint.safetensors} every N epochs, and
 * {@code training.gif} of the epoch grids at the end.
 */
final class RunOutputs implements TrainingListener, AutoCloseable {

    static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    /** Grid columns (4×4 for the 16 preview images) and pixel scale of the per-epoch image. */
    static final int GRID_COLUMNS = 4;
    static final int GRID_SCALE = 4;
    private static final Pattern EPOCH_IMAGE = Pattern.compile("image_at_epoch_\\d{4,}\\.png");

    private final PrintWriter out;
    private final Path dir;
    private final Trainer trainer;
    private final int checkpointEvery;
    private final MetricsCsv metrics;
    private final Evaluation evaluation;
    private long savedStep = -1;

    /**
     * {@code train --eval-every}: every {@code every} epochs, {@code samples} images from noise seed
     * {@link EvalCommand#DEFAULT_SEED} (the same each time, so the epochs are compared on the same noise) are scored.
     */
    record Evaluation(SampleQuality quality, int every, int samples) {

        boolean due(int epoch) {
            return epoch % every == 0;
        }
    }

    /** With {@code evaluation} null, no epoch is evaluated. */
    RunOutputs(PrintWriter out, Path dir, Trainer trainer, int checkpointEvery, Evaluation evaluation)
            throws IOException {
        this.out = out;
        this.dir = dir;
        this.trainer = trainer;
        this.checkpointEvery = checkpointEvery;
        this.evaluation = evaluation;
        this.metrics = MetricsCsv.open(dir, trainer.steps());
    }

    static String epochImageName(int epoch) {
        return String.format(Locale.ROOT, "image_at_epoch_%04d.png", epoch);
    }

    Path checkpointFile() {
        return dir.resolve(CHECKPOINT_FILE);
    }

    @Override
    public void onStep(StepEvent e) {
        try {
            metrics.add(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        try {
            ImageGrid.writePng(ImageGrid.render(e.previewImages(), Trainer.PREVIEW_COUNT, Gan.IMAGE_HEIGHT,
                    Gan.IMAGE_WIDTH, GRID_COLUMNS,
                    GRID_SCALE), dir.resolve(epochImageName(e.epoch())));
            if (evaluation == null || !evaluation.due(e.epoch())) {
                metrics.flush();
            }
            drawLosses();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** After the epoch's summary is printed: the sample scores, when this epoch is one to evaluate. */
    void evaluateIfDue(int epoch) {
        if (evaluation == null || !evaluation.due(epoch)) {
            return;
        }
        long start = System.nanoTime();
        Scores scores = evaluation.quality().score(trainer.gan(), evaluation.samples(), EvalCommand.DEFAULT_SEED);
        try {
            metrics.addEvaluation(scores);
            metrics.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        out.printf(Locale.ROOT, "eval after epoch %d: %s (%.1f s)%n", epoch, EvalReport.oneLine(scores),
                (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    /** After the epoch's summary is printed: the checkpoint, when this epoch is one to keep. */
    void checkpointIfDue(int epoch) {
        if (checkpointEvery > 0 && epoch % checkpointEvery == 0) {
            try {
                saveCheckpoint();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** A plot is a convenience: failing to draw it (e.g. no fonts on a bare server) must not stop training. */
    private void drawLosses() {
        try {
            LossPlot.write(metrics.rows(), dir.resolve(LossPlot.FILE_NAME));
        } catch (IOException | RuntimeException | Error ex) {
            out.println("warning: cannot draw " + LossPlot.FILE_NAME + ": " + Errors.describe(ex));
        }
    }

    /** Writes the checkpoint unless it already holds the current step. */
    void saveCheckpoint() throws IOException {
        if (savedStep == trainer.steps()) {
            return;
        }
        metrics.flush();
        trainer.save(checkpointFile());
        savedStep = trainer.steps();
        out.printf(Locale.ROOT, "saved %s (epoch %d, step %d)%n", checkpointFile(), trainer.epochsDone(),
                trainer.steps());
        out.flush();
    }

    /** The end of a complete run: the last checkpoint and the animation of every epoch grid in the folder. */
    void finish() throws IOException {
        saveCheckpoint();
        List<Path> frames;
        try (Stream<Path> files = Files.list(dir)) {
            frames = files.filter(p -> EPOCH_IMAGE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        if (!frames.isEmpty()) {
            EpochAnimation.write(frames, dir.resolve(EpochAnimation.FILE_NAME));
            out.printf("wrote %s (%d frames)%n", dir.resolve(EpochAnimation.FILE_NAME), frames.size());
        }
    }

    /** Where the last good state is, for messages after a failure. */
    String lastCheckpointText() {
        Path file = checkpointFile();
        return Files.isRegularFile(file) ? "the last checkpoint, " + file + ", is kept" : "no checkpoint was written";
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
