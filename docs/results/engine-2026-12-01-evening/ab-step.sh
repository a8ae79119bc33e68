#!/bin/bash
# A/B of the ViT step: HEAD (7f5e236) vs the working tree's jar, alternating, PyTorch off.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
cp bench/target/benchmarks.jar /tmp/v/benchmarks-new.jar
step() { $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$1" dev.mp3.bench.StepBench --torch false "${@:2}" 2>&1 | grep -E "ours "; }
for r in 1 2 3; do
  echo "--- head $(date -u +%T)"; step /tmp/v/benchmarks-head.jar
  echo "--- new $(date -u +%T)"; step /tmp/v/benchmarks-new.jar
done
echo "--- end $(date -u +%T)"
