package dev.mp3.cli;

import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.Parallel;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Option;

/** Where to compute: {@code --device}, {@code --threads} and the batch-building {@code --workers}. */
final class RuntimeOptions {

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, opencl (first GPU, else first device) or opencl:PLATFORM:DEVICE as listed by"
                    + " the devices command. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--workers", description = "Threads that decode and augment the next batches while a step"
            + " trains (default 1; more for JPEG folders and DeiT augmentation of large images). Results do not"
            + " depend on it.")
    Integer workers;

    /** Opens the device (failing loudly if it is not available) and sizes the CPU pool. */
    Device open() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        if (workers != null) {
            Trainer.setDefaultWorkers(workers);
        }
        // The backend names its device canonically (opencl -> opencl:0:1), so tensors compare equal.
        return Backends.get(Device.parse(device)).device();
    }
}
