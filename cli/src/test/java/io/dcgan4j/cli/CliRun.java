package io.dcgan4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command line in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The shared folder beside the repository, as the engine's tests find it. */
    static Path sharedDir() {
        String p = System.getProperty("dcgan4j.shared");
        return (p != null ? Path.of(p) : Path.of("..", "..", "shared")).toAbsolutePath().normalize();
    }
}
