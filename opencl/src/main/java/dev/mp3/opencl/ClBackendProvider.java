package dev.mp3.opencl;

import dev.mp3.tensor.Backend;
import dev.mp3.tensor.BackendProvider;
import dev.mp3.tensor.Device;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers the OpenCL backend (type "opencl") with {@link dev.mp3.tensor.Backends} through
 * META-INF/services. Addresses "PLATFORM:DEVICE" or empty (first GPU, else first device) resolve
 * to one device, and each device gets one backend however it was named, so "opencl" and
 * "opencl:0:0" share tensors when they are the same device. There is no fallback: a device that
 * cannot be opened is an exception listing what exists.
 */
public final class ClBackendProvider implements BackendProvider {
    private static final Map<String, ClBackend> OPEN = new HashMap<>();

    @Override
    public String type() {
        return "opencl";
    }

    @Override
    public Backend open(Device device) {
        DeviceInfo info = Platforms.select(device.address());
        synchronized (OPEN) {
            return OPEN.computeIfAbsent(info.address(), a -> new ClBackend(info));
        }
    }

    @Override
    public List<String> describeDevices() {
        return Devices.describe();
    }

    @Override
    public void tune(Device device, java.io.PrintStream log) {
        GemmTuner.Result r = GemmTuner.tune(device, log);
        log.printf("best SGEMM configuration %s: %.1f GFLOP/s%n", r.config(), r.gflops());
    }
}
