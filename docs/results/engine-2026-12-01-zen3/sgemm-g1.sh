#!/bin/bash
# JMH's forks under G1 (as the launcher) against ParallelGC (as before), alternating, then the
# SGEMM table against OpenBLAS (numpy, 2 threads) with the G1 forks. JMH_G1 and JMH_PARALLEL are
# the two builds of bench/target/benchmarks.jar.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for v in $JMH_G1 $JMH_PARALLEL $JMH_G1 $JMH_PARALLEL; do
  echo "== $v $(date -u +%H:%M:%S)"
  $J --add-modules jdk.incubator.vector -jar $v matmul --warmup 2 --iterations 3 --time 1 --shapes 6400x192x576,6400x192x576:tB,1024x1024x1024 2>&1 | grep "^| [0-9]" | cut -d'|' -f2,3
done
SHAPES=256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x768x192,6400x192x576:tB,576x6400x192,576x6400x192:tA,192x6400x768:tA
echo "--- SGEMM against OpenBLAS, G1 forks $(date -u +%H:%M:%S)"
echo "ours:"; $J --add-modules jdk.incubator.vector -jar $JMH_G1 matmul --warmup 2 --iterations 3 --time 1 --shapes $SHAPES 2>&1 | grep "^|"
echo "OpenBLAS:"; OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py ${SHAPES//,/ }
echo "--- end $(date -u +%H:%M:%S)"
