#!/bin/bash
# Quiet window (the speech training JVMs stopped, continued at the end): the CIFAR ViT-S shape
# of issue #12 in StepBench with the PyTorch twin, then StepProfile's split of the step by op.
PIDS=$(pgrep -f 'speech-5400' -a | grep java | awk '{print $1}')
trap 'kill -CONT $PIDS' EXIT
kill -STOP $PIDS
sleep 3
cd /work/main
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
M="--dim 384 --depth 12 --heads 6 --patch 4 --image 32 --channels 3 --batch 32"
echo "=== $(date -u +%T) $(git rev-parse --short HEAD)"
$J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench $M --steps 5 --warmup 2 --openblas-coretype COOPERLAKE 2>&1 | grep -v WARNING
echo "=== $(date -u +%T) profile"
$J -Dmp3.profile=true --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepProfile $M --steps 3 --warmup 2 2>&1 | grep -v WARNING
echo "=== $(date -u +%T) end"
