#!/usr/bin/env bash
# GemmKernels.gemm before (bb8eade's tensor classes first on the class path) and after (this build),
# alternating, one thread pinned to core 1 (core 0 and, half the time, core 1 were running training).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B=bench/target/benchmarks.jar   # run from the repository root; /work/wt = bb8eade
for round in 1 2 3; do
  for side in before after; do
    cp=$B; [ $side = before ] && cp=/work/wt/tensor/target/classes:$B
    echo "== round $round $side $(date -u +%H:%M:%S)"
    taskset -c 1 $J --add-modules jdk.incubator.vector -cp $cp dev.mp3.bench.GemmOrientationBench --only-gemm true 2>&1 | grep "^|"
  done
done
