#!/bin/bash
# The second night session's measurements, in order, on a quiet machine (after the demo): the ViT step against the
# PyTorch twin (twice) and the CIFAR ViT-S shape, the profile, the step against the session's start
# (alternating jars), SGEMM against numpy/OpenBLAS alternating per shape.
# Needs: bench/target/benchmarks.jar of HEAD, $BASE_JAR (1bff200's benchmarks.jar, the session's start), $HEAD_CLASSES
# (HEAD's tensor classes, javac'd), $AB (the folder with the afternoon's Ab.class).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$(cd $(dirname $0) && pwd)
cd /work/main
run() { echo "### $* ($(date -u +%T))"; "$@" 2>&1 | grep -v "^WARNING"; }
run $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench
run $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench
run $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench --dim 384 --depth 12 --heads 6 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2
run $J -Dmp3.profile=true --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.StepProfile
echo "### step: session start (1bff200) vs HEAD, alternating ($(date -u +%T))"
$D/../engine-2026-12-01-night/ab-step.sh $BASE_JAR bench/target/benchmarks.jar 2
echo "### the demo's shape: 1bff200 vs HEAD ($(date -u +%T))"
$D/../engine-2026-12-01-night/ab-step.sh $BASE_JAR bench/target/benchmarks.jar 2 --dim 128 --depth 6 --heads 4 --batch 64
echo "### SGEMM: ours (HEAD, Ab) / numpy, alternating per shape, 3 pairs ($(date -u +%T))"
BUILD=$HEAD_CLASSES SHAPES="256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x192x768,6400x768x192,6400x192x576:tB,576x6400x192:tA,768x6400x192:tA,192x6400x768:tA,192x6400x576:tA" $D/../engine-2026-12-01-late/sgemm-alt.sh
echo "### end $(date -u +%T)"
