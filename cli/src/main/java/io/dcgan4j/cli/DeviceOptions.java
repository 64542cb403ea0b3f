package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Device;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --device} and {@code --threads}, shared by the commands that run the model. */
final class DeviceOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu, cuda or cuda:N (never a silent fallback).")
    private String device = "cpu";

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads; the default is one per core.")
    private int threads = Device.defaultThreads();

    /** The chosen device, checked to be usable here; a malformed choice is a usage error (exit 2). */
    Device device() {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be a positive whole number, got "
                    + threads);
        }
        Device d;
        try {
            d = Device.parse(device, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--device must be cpu, cuda or cuda:N, got '"
                    + device + "'");
        }
        d.checkAvailable();
        return d;
    }
}
