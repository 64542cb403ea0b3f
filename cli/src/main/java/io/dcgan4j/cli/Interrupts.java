package io.dcgan4j.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) while a run trains: the first asks the run to stop after its current step, so that it can save a
 * checkpoint and exit with 130; a second one exits at once. A shutdown hook could not do this: by the time it runs,
 * the JVM is already exiting and the training thread cannot be allowed to finish its step and write.
 */
final class Interrupts {

    private static final Signal INT = new Signal("INT");

    private Interrupts() {
    }

    /** Restores the previous SIGINT handling when closed. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    static Registration onInterrupt(Runnable firstInterrupt) {
        boolean[] seen = {false};
        SignalHandler previous = Signal.handle(INT, signal -> {
            if (seen[0]) {
                Runtime.getRuntime().halt(TrainCommand.INTERRUPTED);
            }
            seen[0] = true;
            firstInterrupt.run();
        });
        return () -> Signal.handle(INT, previous);
    }
}
