#!/bin/bash
# StepBench at the CIFAR ViT-S shape with the PyTorch twin, -Xmx16g, once more
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
echo "== StepBench -Xmx16g ViT-S $(date -u)"
$J -Xmx16g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench --dim 384 --depth 12 --heads 6 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2 2>&1 | grep -v WARN
