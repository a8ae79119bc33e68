import static org.jocl.CL.*;
import org.jocl.*;
public class Race {
  static volatile boolean stop;
  static volatile long sink;
  public static void main(String[] a) throws Exception {
    cl_platform_id[] p = new cl_platform_id[1]; clGetPlatformIDs(1, p, null);
    cl_device_id[] d = new cl_device_id[1]; clGetDeviceIDs(p[0], CL_DEVICE_TYPE_ALL, 1, d, null);
    cl_context_properties props = new cl_context_properties(); props.addProperty(CL_CONTEXT_PLATFORM, p[0]);
    cl_context ctx = clCreateContext(props, 1, d, null, null, null);
    Runnable spin = () -> { long s = 0; while (!stop) { for (long i = 0; i < 1_000_000L; i++) s += i ^ (s >>> 3); sink = s; } };
    Thread[] ts = new Thread[Integer.parseInt(a[1])];
    for (int t = 0; t < ts.length; t++) { ts[t] = new Thread(spin); ts[t].start(); }
    int n = Integer.parseInt(a[0]);
    for (int it = 0; it < n; it++) {
      cl_program prog = clCreateProgramWithSource(ctx, 1, new String[]{"__kernel void k" + it + "(__global float* x){ x[get_global_id(0)] *= " + it + "; }"}, null, null);
      clBuildProgram(prog, 0, null, null, null, null);
      clReleaseProgram(prog);
      for (int g = 0; g < 3; g++) System.gc();
      if (it % 20 == 0) System.out.println("iteration " + it);
    }
    stop = true;
    System.out.println("survived " + n);
  }
}
