#!/bin/bash
# The third night session's measurements, in order, on a quiet machine (after the demo pair): the ViT step against
# the PyTorch twin (twice) and the CIFAR ViT-S shape, the profile of the ViT-192 and of the demo's shape, the step
# against the session's start (alternating jars, ViT-192 and the demo's shape), attention alone (At3.java).
# Needs: bench/target/benchmarks.jar of HEAD, $BASE_JAR (6c19e4c's benchmarks.jar, the session's start),
# $BASE_CLASSES and $HEAD_CLASSES (the two builds' tensor classes), $AT3 (a folder with At3.class and at3h/).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$(cd $(dirname $0) && pwd)
cd /work/main
run() { echo "### $* ($(date -u +%T))"; "$@" 2>&1 | grep -v "^WARNING"; }
run $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench
run $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench
run $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.mp3.bench.StepBench --dim 384 --depth 12 --heads 6 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2
run $J -Dmp3.profile=true --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.StepProfile
run $J -Dmp3.profile=true --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mp3.bench.StepProfile --modes supervised --dim 128 --depth 6 --heads 4 --batch 64
echo "### step: session start (6c19e4c) vs HEAD, alternating ($(date -u +%T))"
$D/../engine-2026-12-01-night/ab-step.sh $BASE_JAR bench/target/benchmarks.jar 2
echo "### the demo's shape: 6c19e4c vs HEAD ($(date -u +%T))"
$D/../engine-2026-12-01-night/ab-step.sh $BASE_JAR bench/target/benchmarks.jar 3 --dim 128 --depth 6 --heads 4 --batch 64
echo "### attention forward + backward alone, B 64, H 4, two threads: 6c19e4c vs HEAD ($(date -u +%T))"
for shape in "50 32" "50 64" "98 8" "65 64"; do
  $J -Dat3h=$AT3/at3h --add-modules jdk.incubator.vector -cp $AT3 At3 2 12 $shape $BASE_CLASSES $HEAD_CLASSES 2>&1 | grep means | sed "s/^/N d = $shape: /"
done
echo "### end $(date -u +%T)"
