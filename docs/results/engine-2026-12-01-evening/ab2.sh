#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
cp bench/target/benchmarks.jar /tmp/v/benchmarks-shared.jar
step() { $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$1" dev.mp3.bench.StepBench --torch false "${@:2}" 2>&1 | grep -E "ours "; }
for r in 1 2 3; do
  echo "--- 3b2586e $(date -u +%T)"; step /tmp/v/benchmarks-3b25.jar
  echo "--- shared-A $(date -u +%T)"; step /tmp/v/benchmarks-shared.jar
done
echo "--- end $(date -u +%T)"
