#!/bin/bash
# SGEMM, 2 threads: ours (JMH; its forks now get -XX:UseAVX=3 on an AVX-512 CPU) and OpenBLAS
# 0.3.21 (SkylakeX kernel) through numpy, alternating: ours, OpenBLAS, ours, OpenBLAS.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
SHAPES=256x256x256,1024x1024x1024,2048x2048x2048,6400x192x576,6400x768x192,6400x192x576:tB,576x6400x192,576x6400x192:tA
for run in 1 2; do
  echo "--- run $run $(date -u +%H:%M:%S)"
  echo "ours:"; $J --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar matmul --warmup 2 --iterations 3 --time 1 --shapes $SHAPES 2>&1 | grep "^|"
  echo "OpenBLAS:"; OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py ${SHAPES//,/ }
done
