package dev.mp3.tensor;

import java.util.List;

/**
 * Service-provider interface: a jar that adds a backend (the OpenCL one) lists an implementation in
 * {@code META-INF/services/dev.mp3.tensor.BackendProvider}, so code above the tensor module never
 * names the backend's classes.
 */
public interface BackendProvider {

    /** The device type this provider serves, e.g. "opencl". */
    String type();

    /** Opens (or returns the already opened) backend for a device of this type. */
    Backend open(Device device);

    /** Human-readable lines describing the devices this provider can see (for a `devices` command). */
    List<String> describeDevices();

    /**
     * Measures and stores this device's best kernel parameters (for a `tune` command); a backend
     * without tunable kernels says so.
     */
    default void tune(Device device, java.io.PrintStream log) {
        log.println(type() + ": nothing to tune");
    }
}
