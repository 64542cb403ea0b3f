package io.dcgan4j.cli;

/** Whether the output goes to a person at a terminal (progress bars) or to a file or pipe (plain lines). */
final class Terminal {

    private Terminal() {
    }

    static boolean isInteractive() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
