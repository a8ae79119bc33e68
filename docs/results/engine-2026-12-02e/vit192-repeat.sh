#!/bin/bash
# StepBench at ViT-192 with the PyTorch twin, -Xmx16g, run twice more
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
for r in 1 2; do
  echo "== StepBench -Xmx16g run $r $(date -u)"
  $J -Xmx16g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench 2>&1 | grep -v WARN
done
