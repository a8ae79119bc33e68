#!/bin/bash
# Packed A step after step of k (BLIS's layout), packed in memory order for a column-major A:
# the one-thread SGEMM of BEFORE (5292461) and AFTER in alternating windows (Ab.java of
# ../engine-2026-11-30-night, each build's tensor classes in its own class loader), then the ViT
# step (StepBench defaults) of both builds alternating, PyTorch in the first run, then the op
# profile of the AFTER step. Run from the repository root on a quiet machine:
#   OLD_CLASSES=... OLD_JAR=... AB=dir-with-Ab.class docs/results/engine-2026-12-01/bench.sh
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW_JAR=bench/target/benchmarks.jar
NEW_CLASSES=tensor/target/classes
export LD_PRELOAD=/usr/lib/jvm/temurin-25-jdk-amd64/lib/libjsig.so
step() { $J -XX:UseAVX=3 --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$1" dev.mp3.bench.StepBench "${@:2}" 2>&1 | grep -v WARNING; }
echo "--- $(lscpu | grep -E '^Model( name)?:' | tr -s ' ' | tr '\n' ' ')"
echo "--- SGEMM one thread, UseAVX=3, classes: v0 = before, v1 = after $(date -u +%H:%M:%S)"
taskset -c 1 $J -XX:UseAVX=3 --add-modules jdk.incubator.vector -cp $AB Ab 1 "6400x192x192,256x256x256,512x512x512,1024x1024x1024,6400x192x576,6400x768x192,6400x192x576:tB,576x6400x192,576x6400x192:tA,192x6400x768:tA,768x6400x192:tA,192x6400x192:tA" 4 $OLD_CLASSES $NEW_CLASSES 2>&1 | grep -v WARNING
echo "--- step, after, with PyTorch $(date -u +%H:%M:%S)"; step $NEW_JAR
echo "--- step, before $(date -u +%H:%M:%S)"; step $OLD_JAR --torch false
echo "--- step, after $(date -u +%H:%M:%S)"; step $NEW_JAR --torch false
echo "--- step, before $(date -u +%H:%M:%S)"; step $OLD_JAR --torch false
echo "--- op profile, after $(date -u +%H:%M:%S)"
$J -XX:UseAVX=3 -Dmp3.profile=true --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $NEW_JAR dev.mp3.bench.StepProfile --steps 3 --warmup 2 2>&1 | grep -v WARNING
echo "--- end $(date -u +%H:%M:%S)"
