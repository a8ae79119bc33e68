package dev.mp3.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.Arrays;
import java.util.Locale;

/**
 * One OpenCL device as the runtime reports it, with its address "PLATFORM:DEVICE" (indices in
 * the order the ICD loader lists platforms and each platform lists its devices).
 */
public record DeviceInfo(
        int platformIndex,
        int deviceIndex,
        cl_platform_id platform,
        cl_device_id device,
        String platformName,
        String platformVersion,
        String name,
        String vendor,
        String version,
        String driverVersion,
        String openclCVersion,
        boolean gpu,
        long globalMemBytes,
        long localMemBytes,
        long maxAllocBytes,
        int computeUnits,
        long maxWorkGroupSize,
        boolean correctlyRoundedDivideSqrt,
        String extensions) {

    public String address() {
        return platformIndex + ":" + deviceIndex;
    }

    /** CL_DEVICE_MAX_PARAMETER_SIZE: the bytes of arguments a kernel may take (1024 at least on a full-profile device). */
    public long maxParameterBytes() {
        return Platforms.deviceSize(device, org.jocl.CL.CL_DEVICE_MAX_PARAMETER_SIZE);
    }

    public boolean hasExtension(String ext) {
        return Arrays.asList(extensions.split("\\s+")).contains(ext);
    }

    /** OpenCL C version as major*10 + minor (12 for "OpenCL C 1.2 ..."), 10 when unreadable. */
    public int openclC() {
        String[] words = openclCVersion.split("\\s+");
        for (String w : words) {
            if (w.matches("\\d+\\.\\d+")) {
                String[] p = w.split("\\.");
                return Integer.parseInt(p[0]) * 10 + Integer.parseInt(p[1]);
            }
        }
        return 10;
    }

    /** One line for the {@code devices} command. */
    public String describe() {
        return String.format(Locale.ROOT,
                "opencl:%s  %s [%s] on %s (%s); driver %s, %s; %d compute units, %s global, %s local, "
                        + "max alloc %s, max work-group %d; fp64 %s, fp16 %s",
                address(), name, gpu ? "GPU" : "not a GPU", platformName, version, driverVersion, openclCVersion,
                computeUnits, bytes(globalMemBytes), bytes(localMemBytes), bytes(maxAllocBytes), maxWorkGroupSize,
                hasExtension("cl_khr_fp64") ? "yes" : "no", hasExtension("cl_khr_fp16") ? "yes" : "no");
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
    }
}
