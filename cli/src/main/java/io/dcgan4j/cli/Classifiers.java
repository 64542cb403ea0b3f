package io.dcgan4j.cli;

import io.dcgan4j.engine.api.ClassifierOptions;
import io.dcgan4j.engine.api.Device;
import io.dcgan4j.engine.api.MnistClassifier;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the evaluation classifier of a data folder, training and saving one on first use. */
final class Classifiers {

    private Classifiers() {
    }

    /** {@code file}, or the data folder's classifier under {@link DataHome#classifierDir()} when it is null. */
    static Path resolve(Path file, Path dataDir) throws IOException {
        return file != null ? file : DataHome.classifierDir().resolve(MnistClassifier.fileNameFor(dataDir));
    }

    /**
     * Loads the classifier at {@code file} (see {@link #resolve}); when there is none, says so, trains one with the
     * default options on {@code dataDir} and saves it there. Warns when a loaded classifier learned from other data.
     */
    static MnistClassifier loadOrTrain(Path file, Path dataDir, Device device, PrintWriter out) throws IOException {
        Path path = resolve(file, dataDir);
        if (Files.exists(path)) {
            MnistClassifier c = MnistClassifier.load(path, device);
            if (!c.dataSha256().equals(MnistClassifier.trainingDataSha256(dataDir))) {
                out.printf("warning: the classifier %s learned from other training data than %s; its scores are not "
                        + "comparable with those of this folder's own classifier%n", path, dataDir);
            }
            return c;
        }
        out.printf("no classifier at %s: training one on %s first (%s; about a minute per epoch on 2 cores)%n",
                path, dataDir, describe(ClassifierOptions.defaults()));
        MnistClassifier c = train(dataDir, ClassifierOptions.defaults(), device, out);
        try {
            c.save(path);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        out.printf("saved the classifier to %s (test accuracy %.2f %%)%n", path, 100 * c.testAccuracy());
        return c;
    }

    static MnistClassifier train(Path dataDir, ClassifierOptions options, Device device, PrintWriter out)
            throws IOException {
        MnistClassifier c = MnistClassifier.train(dataDir, options, device, (epoch, epochs, loss, nanos) -> {
            out.printf("classifier epoch %d/%d: loss %.4f (%.1f s)%n", epoch, epochs, loss, nanos / 1e9);
            out.flush();
        });
        out.printf("classifier test accuracy %.2f %% on the test images%n", 100 * c.testAccuracy());
        return c;
    }

    static String describe(ClassifierOptions o) {
        return o.epochs() + " epochs, batch " + o.batchSize() + ", learning rate " + o.learningRate() + ", seed "
                + o.seed();
    }
}
