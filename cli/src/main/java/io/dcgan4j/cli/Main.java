package io.dcgan4j.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** Entry point: runs {@link Dcgan4jCommand} and exits with its code (0 success, 1 failure, 2 usage error). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code; used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line: one-line usage errors (exit 2), messages instead of stack traces (exit 1). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Dcgan4jCommand top = new Dcgan4jCommand();
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("dcgan4j: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName()
                    + " --help')");
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("dcgan4j: error: " + Errors.describe(ex));
            if (top.verbose()) {
                ex.printStackTrace(c.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }
}
