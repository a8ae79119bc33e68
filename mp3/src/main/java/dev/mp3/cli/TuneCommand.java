package dev.mp3.cli;

import dev.mp3.tensor.BackendProvider;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Runs a backend's kernel tuner for one device and caches the result. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Tune an OpenCL device's SGEMM tile sizes; the result is cached per device and driver in the"
                + " user's cache directory and used from then on.")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "opencl", description = "Device to tune (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        Device d = Backends.get(Device.parse(device)).device();
        for (BackendProvider p : Backends.providers()) {
            if (p.type().equals(d.type())) {
                p.tune(d, System.out);
                return 0;
            }
        }
        System.out.println(d + ": nothing to tune");
        return 0;
    }
}
