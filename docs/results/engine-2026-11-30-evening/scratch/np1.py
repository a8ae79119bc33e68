# Scratch: one-thread OpenBLAS SGEMM, GFLOP/s per thread-CPU-second (best of 3 windows of 0.2 s), as GBench measures ours.
import sys, time, numpy as np
sys.path.insert(0, "/work/main/bench/scripts")
from sgemm_numpy import operands, SHAPES
rng = np.random.default_rng(42)
out_line = []
for shape in SHAPES:
    a, b, flops = operands(shape, rng)
    out = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
    for _ in range(3): np.matmul(a, b, out=out)
    best = 0
    for r in range(3):
        t0 = time.thread_time(); n = 0
        while time.thread_time() - t0 < 0.2:
            np.matmul(a, b, out=out); n += 1
        best = max(best, flops * n / (time.thread_time() - t0) / 1e9)
    out_line.append(f"{shape} {best:.1f}")
print("OpenBLAS 1 thread GFLOP/s |", "  ".join(out_line))
