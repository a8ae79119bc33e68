package dev.mp3.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.jocl.CL.*;

/**
 * Discovery of OpenCL platforms and devices, and the choice of a device from an address:
 * "PLATFORM:DEVICE", or empty for the first GPU (else the first device of any kind).
 */
public final class Platforms {

    /** What the runtime offers: the devices, or why there are none. */
    public record Discovery(List<DeviceInfo> devices, String problem) {
        public boolean found() {
            return !devices.isEmpty();
        }
    }

    private static Discovery cached;

    private Platforms() {}

    /** Enumerates once per process (the ICD loader's list does not change while we run). */
    public static synchronized Discovery discover() {
        if (cached == null) {
            cached = enumerate();
            if (cached.found()) {
                SignalChaining.warnIfMissing();
            }
        }
        return cached;
    }

    private static Discovery enumerate() {
        int[] count = new int[1];
        try {
            // Every JOCL call below then throws CLException on failure instead of returning a code.
            CL.setExceptionsEnabled(true);
            clGetPlatformIDs(0, null, count);
        } catch (LinkageError e) {
            return new Discovery(List.of(), "the OpenCL runtime could not be loaded (" + e.getMessage()
                    + "); install an OpenCL driver and the ICD loader (libOpenCL.so.1), e.g. pocl-opencl-icd");
        } catch (CLException e) {
            return new Discovery(List.of(), "no OpenCL platform is installed (clGetPlatformIDs: "
                    + ClException.statusName(e.getStatus()) + "); install an OpenCL driver, e.g. pocl-opencl-icd");
        }
        if (count[0] == 0) {
            return new Discovery(List.of(), "no OpenCL platform is installed (the ICD loader lists none)");
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        List<DeviceInfo> devices = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            String platformName = platformString(platforms[p], CL_PLATFORM_NAME);
            int[] n = new int[1];
            try {
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (CLException e) {
                problems.add("platform " + p + " (" + platformName + ") lists no devices: "
                        + ClException.statusName(e.getStatus()));
                continue;
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (int d = 0; d < ids.length; d++) {
                devices.add(info(p, d, platforms[p], platformName, ids[d]));
            }
        }
        return new Discovery(List.copyOf(devices),
                devices.isEmpty() ? "OpenCL platforms exist but offer no device: " + String.join("; ", problems) : null);
    }

    private static DeviceInfo info(int p, int d, cl_platform_id platform, String platformName, cl_device_id id) {
        long type = deviceLong(id, CL_DEVICE_TYPE);
        return new DeviceInfo(p, d, platform, id, platformName, platformString(platform, CL_PLATFORM_VERSION),
                deviceString(id, CL_DEVICE_NAME), deviceString(id, CL_DEVICE_VENDOR),
                deviceString(id, CL_DEVICE_VERSION), deviceString(id, CL_DRIVER_VERSION),
                deviceString(id, CL_DEVICE_OPENCL_C_VERSION), (type & CL_DEVICE_TYPE_GPU) != 0,
                deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE),
                deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                (deviceLong(id, CL_DEVICE_SINGLE_FP_CONFIG) & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0,
                deviceString(id, CL_DEVICE_EXTENSIONS));
    }

    /**
     * The device an address names. Fails with the list of existing devices when the address is
     * malformed or names nothing, and with the reason when there is no OpenCL at all.
     */
    public static DeviceInfo select(String address) {
        Discovery found = discover();
        if (!found.found()) {
            throw new ClException("device opencl" + (address.isEmpty() ? "" : ":" + address)
                    + " requested, but " + found.problem());
        }
        List<DeviceInfo> devices = found.devices();
        if (address.isEmpty()) {
            for (DeviceInfo d : devices) {
                if (d.gpu()) {
                    return d;
                }
            }
            return devices.get(0);
        }
        if (address.startsWith("gpu:")) {
            return nthGpu(devices, address);
        }
        String[] parts = address.split(":");
        int platform = -1;
        int device = -1;
        if (parts.length == 2) {
            try {
                platform = Integer.parseInt(parts[0]);
                device = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                platform = -1;
            }
        }
        if (platform < 0 || device < 0) {
            throw new IllegalArgumentException("device opencl:" + address + ": expected opencl or opencl:PLATFORM:DEVICE"
                    + " with the indices of one of: " + listing(devices));
        }
        for (DeviceInfo d : devices) {
            if (d.platformIndex() == platform && d.deviceIndex() == device) {
                return d;
            }
        }
        throw new IllegalArgumentException("device opencl:" + address + ": no such OpenCL device; the devices are: "
                + listing(devices));
    }

    /**
     * {@code gpu:K}: the K-th GPU, counted modulo the GPUs present (a data-parallel process takes
     * the GPU of its local rank, and ranks share GPUs when there are more ranks than GPUs); without
     * a GPU, the K-th device modulo the devices (PoCL's CPU device).
     */
    private static DeviceInfo nthGpu(List<DeviceInfo> devices, String address) {
        int k;
        try {
            k = Integer.parseInt(address.substring("gpu:".length()));
        } catch (NumberFormatException e) {
            k = -1;
        }
        if (k < 0) {
            throw new IllegalArgumentException("device opencl:" + address + ": expected opencl:gpu:K with K >= 0");
        }
        List<DeviceInfo> gpus = devices.stream().filter(DeviceInfo::gpu).toList();
        List<DeviceInfo> pool = gpus.isEmpty() ? devices : gpus;
        return pool.get(k % pool.size());
    }

    /** The devices on one line, as an error message lists them. */
    static String listing(List<DeviceInfo> devices) {
        return String.join("; ", devices.stream().map(DeviceInfo::describe).toList());
    }

    // ---------------------------------------------------------------- info queries

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String cString(byte[] buf) {
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8).trim();
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
