package io.dcgan4j.cli;

import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.api.ImageGrid;
import io.dcgan4j.engine.api.TrainingListener;
import io.dcgan4j.engine.api.Trainer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints a training run as the seed does, one line per step ({@code epoch:1,batch step:3,d_loss:…,g_loss:…}) with
 * images per second, or a progress bar per epoch on a terminal; writes {@code image_at_epoch_NNNN.png} after every
 * epoch (4×4 grid, each pixel drawn 4×4).
 */
final class ConsoleReport implements TrainingListener {

    /** Grid columns (4×4 for the 16 preview images) and pixel scale of the per-epoch image. */
    static final int GRID_COLUMNS = 4;
    static final int GRID_SCALE = 4;

    private final PrintWriter out;
    private final Path outDir;
    private final boolean interactive;
    private ProgressBar bar;
    private float lastDiscriminatorLoss;
    private float lastGeneratorLoss;
    private long epochImages;

    ConsoleReport(PrintWriter out, Path outDir, boolean interactive) {
        this.out = out;
        this.outDir = outDir;
        this.interactive = interactive;
    }

    @Override
    public void onStep(StepEvent e) {
        double imagesPerSecond = e.images() / (e.nanos() / 1e9);
        lastDiscriminatorLoss = e.discriminatorLoss();
        lastGeneratorLoss = e.generatorLoss();
        epochImages += e.images();
        if (interactive) {
            if (bar == null) {
                bar = new ProgressBarBuilder()
                        .setTaskName(String.format("epoch %d", e.epoch()))
                        .setInitialMax(e.stepsPerEpoch())
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .continuousUpdate()
                        .build();
            }
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, "d_loss %.4f g_loss %.4f %.0f img/s",
                    e.discriminatorLoss(), e.generatorLoss(), imagesPerSecond));
        } else {
            out.printf(Locale.ROOT, "epoch:%d,batch step:%d,d_loss:%s,g_loss:%s (%.0f img/s)%n", e.epoch(), e.step(),
                    e.discriminatorLoss(), e.generatorLoss(), imagesPerSecond);
            out.flush();
        }
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        Path image = outDir.resolve(String.format("image_at_epoch_%04d.png", e.epoch()));
        try {
            ImageGrid.writePng(ImageGrid.render(e.previewImages(), Trainer.PREVIEW_COUNT, Dcgan.IMAGE_HEIGHT,
                    Dcgan.IMAGE_WIDTH, GRID_COLUMNS, GRID_SCALE), image);
        } catch (IOException ex) {
            throw new UncheckedIOException(new IOException("cannot write " + image + ": " + Errors.describe(ex), ex));
        }
        double seconds = e.nanos() / 1e9;
        out.printf(Locale.ROOT, "epoch %d/%d done in %.1f s (%.0f img/s): d_loss %.4f, g_loss %.4f, wrote %s%n",
                e.epoch(), e.epochs(), seconds, epochImages / seconds, lastDiscriminatorLoss, lastGeneratorLoss,
                image);
        out.flush();
        epochImages = 0;
    }
}
