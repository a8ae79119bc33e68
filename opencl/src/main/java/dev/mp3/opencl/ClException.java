package dev.mp3.opencl;

import org.jocl.CL;
import org.jocl.CLException;

/**
 * An OpenCL failure with a readable message: what the backend was doing, the OpenCL status by
 * name, and whatever explains it (a build log, the size that could not be allocated, the devices
 * that exist). JOCL's {@link CLException} never reaches callers unwrapped.
 */
public final class ClException extends IllegalStateException {
    public ClException(String message) {
        super(message);
    }

    public ClException(String message, CLException cause) {
        super(message + " (" + statusName(cause.getStatus()) + ")", cause);
    }

    static String statusName(int status) {
        String name = CL.stringFor_errorCode(status);
        return name == null || name.startsWith("INVALID") ? "OpenCL status " + status : name;
    }

    /** True for the statuses a device reports when it runs out of memory. */
    static boolean isOutOfMemory(int status) {
        return status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY;
    }
}
