package io.dcgan4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code dcgan4j} command; the work is done by its subcommands. */
@Command(name = "dcgan4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Trains the DCGAN of the TensorFlow 2 blog post on MNIST, with Keras semantics.",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, TrainClassifierCommand.class,
                InfoCommand.class, BenchCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class Dcgan4jCommand implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace of a failure.")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
