"""SGEMM GFLOP/s of numpy's BLAS at MatMulBench's shapes: a native reference point, never a dependency.

Run with Debian's numpy on 2 BLAS threads, e.g. (OpenBLAS installed, its AVX-512 kernel chosen):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py
numpy.show_config() tells which BLAS it loaded; Debian's default libblas is the slow reference one.
Prints the median of 10 timed calls after 3 warm-up calls for each shape M x K x N[:tA|:tB].
"""
import statistics
import sys
import time

import numpy as np

SHAPES = ["256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
          "6400x192x576", "6400x192x768", "6400x768x192", "6400x192x192",
          "6400x192x576:tB", "576x6400x192", "576x6400x192:tA"]


def operands(shape, rng):
    dims, _, flag = shape.partition(":")
    m, k, n = (int(d) for d in dims.split("x"))
    a = rng.uniform(-1, 1, (k, m) if flag == "tA" else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if flag == "tB" else (k, n)).astype(np.float32)
    # .T is a view: BLAS gets the transpose flag, as our kernel does.
    return (a.T if flag == "tA" else a), (b.T if flag == "tB" else b), 2.0 * m * k * n


def main():
    rng = np.random.default_rng(42)
    print("| shape M x K x N | numpy GFLOP/s |")
    print("|---|---:|")
    for shape in sys.argv[1:] or SHAPES:
        a, b, flops = operands(shape, rng)
        out = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
        for _ in range(3):
            np.matmul(a, b, out=out)
        times = []
        for _ in range(10):
            t = time.perf_counter()
            np.matmul(a, b, out=out)
            times.append(time.perf_counter() - t)
        print(f"| {shape} | {flops / statistics.median(times) / 1e9:.1f} |")


if __name__ == "__main__":
    main()
