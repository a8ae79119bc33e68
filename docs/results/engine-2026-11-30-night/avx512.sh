#!/bin/bash
# HotSpot runs this Skylake-SP (lscpu model 85, stepping 4) with UseAVX=2 by default, i.e. 256-bit
# vectors, although the CPU has AVX-512 (OpenBLAS uses it). This compares the same code with
# -XX:UseAVX=3: the one-thread SGEMM of BEFORE (3872dea) and AFTER in alternating windows (scratch
# A/B harness in this folder), then the ViT step, alternating the two flags, PyTorch in the first run.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
AFTER=bench/target/benchmarks.jar
step() { $J "$1" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $AFTER dev.mp3.bench.StepBench "${@:2}" 2>&1 | grep -v WARNING; }
for flag in -XX:UseAVX=2 -XX:UseAVX=3; do
  echo "--- SGEMM one thread, $flag, classes: v0 = 3872dea, v1 = after $(date -u +%H:%M:%S)"
  taskset -c 1 $J $flag --add-modules jdk.incubator.vector -cp $AB Ab 1 "6400x192x192,256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x768x192,6400x192x576:tB,576x6400x192,576x6400x192:tA,192x6400x768:tA" 4 $V0 $V1 2>&1 | grep -v WARNING
done
echo "--- step, UseAVX=3, with PyTorch $(date -u +%H:%M:%S)"; step -XX:UseAVX=3
echo "--- step, UseAVX=2 $(date -u +%H:%M:%S)"; step -XX:UseAVX=2 --torch false
echo "--- step, UseAVX=3 $(date -u +%H:%M:%S)"; step -XX:UseAVX=3 --torch false
echo "--- end $(date -u +%H:%M:%S)"
