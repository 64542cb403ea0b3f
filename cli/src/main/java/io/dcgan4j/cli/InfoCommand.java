package io.dcgan4j.cli;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import io.dcgan4j.engine.api.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** {@code dcgan4j info}: what the engine will run on. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the JDK, the Vector API species in use, the cores, the default thread count and the CUDA "
                + "devices (or why there are none).")
final class InfoCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
        Runtime rt = Runtime.getRuntime();
        out.printf("dcgan4j      %s%n", VersionProvider.version());
        out.printf("JDK          %s (%s), %s%n", Runtime.version(), System.getProperty("java.vendor"),
                System.getProperty("java.home"));
        out.printf("OS           %s %s (%s)%n", System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"));
        out.printf("Vector API   %s: %d floats, %d bits%n", species, species.length(), species.vectorBitSize());
        out.printf("cores        %d%n", rt.availableProcessors());
        out.printf("threads      %d (default of train --threads)%n", Device.defaultThreads());
        out.printf("max heap     %d MiB%n", rt.maxMemory() >> 20);
        out.printf("devices      cpu%n");
        for (String cuda : Device.cudaDevices()) {
            out.printf("             cuda: %s%n", cuda);
        }
    }
}
