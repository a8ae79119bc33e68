import static org.jocl.CL.*;
import org.jocl.*;
public class Sig {
  public static void main(String[] a) throws Exception {
    setExceptionsEnabled(true);
    cl_platform_id[] p = new cl_platform_id[1]; clGetPlatformIDs(1, p, null);
    cl_device_id[] d = new cl_device_id[1]; clGetDeviceIDs(p[0], CL_DEVICE_TYPE_ALL, 1, d, null);
    cl_context_properties props = new cl_context_properties(); props.addProperty(CL_CONTEXT_PLATFORM, p[0]);
    cl_context ctx = clCreateContext(props, 1, d, null, null, null);
    cl_command_queue q = clCreateCommandQueueWithProperties(ctx, d[0], null, null);
    // "kernel-divides-by-zero": a kernel whose int division faults on PoCL's threads (x = 1, so 7 / 0)
    boolean kernelDivides = a.length > 0 && a[0].equals("kernel-divides-by-zero");
    String body = kernelDivides ? "int d = (int)(x[get_global_id(0)] - 1.0f); x[get_global_id(0)] = (float)(7 / d);"
                                : "x[get_global_id(0)] *= 2;";
    cl_program prog = clCreateProgramWithSource(ctx, 1, new String[]{"__kernel void k(__global float* x){ " + body + " }"}, null, null);
    clBuildProgram(prog, 0, null, null, null, null);
    cl_kernel k = clCreateKernel(prog, "k", null);
    float[] h = new float[1024]; java.util.Arrays.fill(h, 1f);
    cl_mem m = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, 4096, Pointer.to(h), null);
    clSetKernelArg(k, 0, Sizeof.cl_mem, Pointer.to(m));
    clEnqueueNDRangeKernel(q, k, 1, null, new long[]{1024}, null, 0, null, null);
    clEnqueueReadBuffer(q, m, true, 0, 4096, Pointer.to(h), 0, null, null);
    System.out.println("x[0]=" + h[0]);
    int zero = Integer.getInteger("zero", 0);   // not a constant the JIT could fold
    long s = 0;
    for (int i = 0; i < 200000; i++) { try { s += 7 / (zero + (i % 2)); } catch (ArithmeticException e) { s += 1000; } }
    System.out.println("sum (expect 100000*1000 + 100000*7 = 100700000): " + s);
    Thread.sleep(6000);
  }
}
