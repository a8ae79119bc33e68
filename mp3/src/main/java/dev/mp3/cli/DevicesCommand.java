package dev.mp3.cli;

import dev.mp3.tensor.BackendProvider;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Lists the devices every backend can see. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List compute devices: the CPU, and OpenCL platforms and devices with memory and compute units.")
final class DevicesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("cpu: %d threads, Vector API species %s%n", Parallel.threads(),
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED);
        for (BackendProvider p : Backends.providers()) {
            for (String line : p.describeDevices()) {
                out.println(line);
            }
        }
        return 0;
    }
}
