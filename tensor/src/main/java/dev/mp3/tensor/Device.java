package dev.mp3.tensor;

import java.util.Locale;

/**
 * Where a tensor's storage lives: a backend type ("cpu", "opencl") plus an address within it.
 * For OpenCL the address is "PLATFORM:DEVICE" (indices as listed by the {@code devices} command),
 * or empty for the runtime's first GPU (else first device).
 */
public record Device(String type, String address) {

    public static final Device CPU = new Device("cpu", "");

    public Device {
        type = type.toLowerCase(Locale.ROOT);
    }

    /** Parses "cpu", "opencl", "opencl:1:0". */
    public static Device parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String type = colon < 0 ? s : s.substring(0, colon);
        String address = colon < 0 ? "" : s.substring(colon + 1);
        if (type.isEmpty()) {
            throw new IllegalArgumentException("device: empty device name; expected cpu, opencl or opencl:PLATFORM:DEVICE");
        }
        return new Device(type, address);
    }

    public boolean isCpu() {
        return type.equals("cpu");
    }

    @Override
    public String toString() {
        return address.isEmpty() ? type : type + ":" + address;
    }
}
