#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
for r in 1 2 3 4; do for x in 6g 16g; do
  echo "== -Xmx$x run $r $(date -u +%T)"
  $J -Xmx$x --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench --torch false --steps 8 --warmup 3 2>&1 | grep "ours "
done; done
