package dev.mp3.opencl;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code devices} command: every OpenCL platform and device with the figures that matter for
 * choosing one (memory, compute units, work-group and local memory limits, fp64/fp16), as the CLI's
 * {@code devices} command prints them.
 */
public final class Devices {
    private Devices() {}

    /** One line per device, or one line saying why there is none. */
    public static List<String> describe() {
        Platforms.Discovery found = Platforms.discover();
        if (!found.found()) {
            return List.of("opencl: none (" + found.problem() + ")");
        }
        List<String> lines = new ArrayList<>();
        for (DeviceInfo d : found.devices()) {
            lines.add(d.describe());
        }
        return lines;
    }
}
