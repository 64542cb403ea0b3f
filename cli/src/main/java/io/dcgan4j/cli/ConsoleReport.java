package io.dcgan4j.cli;

import io.dcgan4j.engine.api.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints a training run as the seed does, one line per step ({@code epoch:1,batch step:3,d_loss:…,g_loss:…}) with
 * images per second, or a progress bar per epoch on a terminal, and a summary line per epoch.
 */
final class ConsoleReport implements TrainingListener {

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
                        .startsFrom(e.step() - 1, Duration.ZERO)
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
    public void onWarning(String message) {
        closeBar();
        out.println("warning: " + message);
        out.flush();
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        closeBar();
        Path image = outDir.resolve(RunOutputs.epochImageName(e.epoch()));
        double seconds = e.nanos() / 1e9;
        out.printf(Locale.ROOT, "epoch %d/%d done in %.1f s (%.0f img/s): d_loss %.4f, g_loss %.4f, wrote %s%n",
                e.epoch(), e.epochs(), seconds, epochImages / seconds, lastDiscriminatorLoss, lastGeneratorLoss,
                image);
        out.flush();
        epochImages = 0;
    }

    /** Ends the progress bar so that the next line starts on its own. */
    void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
