#!/bin/bash
# StepBench --torch false, 76715f8's jar (A: the engine before this change) and main's (B) alternating; args go to StepBench
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for i in 1 2 3; do for c in A B; do
  if [ $c = A ]; then JAR=/tmp/dp/r2/bench/target/benchmarks.jar; else JAR=/work/main/bench/target/benchmarks.jar; fi
  echo "$c $(date -u +%T) $($J -Xmx16g --add-modules jdk.incubator.vector -cp $JAR dev.mp3.bench.StepBench --torch false "$@" 2>&1 | grep -E '^  ours +(sup|mp3)' | awk '{printf "%s %s  ", $2, $3}')"
done; done
