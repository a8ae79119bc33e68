package dev.mp3.cli;

import dev.mp3.nn.parallel.Collective;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.cpu.Parallel;
import dev.mp3.train.Trainer;
import picocli.CommandLine.Option;

/** Where to compute: {@code --device}, {@code --threads} and the batch-building {@code --workers}. */
final class RuntimeOptions {

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, opencl (first GPU, else first device; under mpirun the GPU of the process's local"
                    + " rank), opencl:gpu:K (the K-th GPU) or opencl:PLATFORM:DEVICE as listed by the devices"
                    + " command. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--workers", description = "Threads that decode and augment the next batches while a step"
            + " trains (default 1; more for JPEG folders and DeiT augmentation of large images). Results do not"
            + " depend on it.")
    Integer workers;

    @Option(names = "--bucket-mb", defaultValue = "1", paramLabel = "MB",
            description = "Data parallel (under mpirun): megabytes of gradients summed across processes per call."
                    + " Default: ${DEFAULT-VALUE}.")
    double bucketMb;

    @Option(names = "--overlap", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Data parallel: sum each bucket of gradients while backward computes the earlier layers"
                    + " (false: all after backward). Default: ${DEFAULT-VALUE}.")
    boolean overlap;

    @Option(names = "--check-replicas", defaultValue = "0", paramLabel = "N",
            description = "Data parallel: check every N updates that all processes hold identical parameters"
                    + " (0: at every report). Default: ${DEFAULT-VALUE}.")
    long checkReplicas;

    /**
     * Opens the device (failing loudly if it is not available) and sizes the CPU pool. In a
     * data-parallel run {@code --device opencl} takes the GPU of the process's local rank.
     */
    Device open() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        if (workers != null) {
            Trainer.setDefaultWorkers(workers);
        }
        Collective group = Distributed.group();
        if (!(bucketMb > 0)) {
            throw new IllegalArgumentException("--bucket-mb " + bucketMb + " must be positive");
        }
        Trainer.setDefaultParallelism(new Trainer.Parallelism(group, Math.max(4, (long) (bucketMb * (1 << 20))),
                overlap, checkReplicas));
        String spec = device.trim();
        if (group.distributed() && spec.equals("opencl")) {
            spec = "opencl:gpu:" + group.localRank();
        }
        // The backend names its device canonically (opencl -> opencl:0:1), so tensors compare equal.
        return Backends.get(Device.parse(spec)).device();
    }
}
