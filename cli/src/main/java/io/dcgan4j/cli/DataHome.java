package io.dcgan4j.cli;

import java.nio.file.Path;

/** Where dcgan4j keeps data it downloads: {@code ~/.dcgan4j}. */
final class DataHome {

    private DataHome() {
    }

    /** The MNIST folder used when {@code --data} is not given. */
    static Path defaultMnistDir() {
        return home().resolve("mnist");
    }

    /** Where evaluation keeps the classifiers it trains, one per training data file. */
    static Path classifierDir() {
        return home().resolve("classifiers");
    }

    private static Path home() {
        return Path.of(System.getProperty("user.home"), ".dcgan4j");
    }
}
