#!/bin/bash
# Issue #12 on the AVX2 Zen 3 box (2026-12-01 afternoon): the SGEMM of BEFORE (2d7896e, the session's
# start) and AFTER in alternating windows (Ab.java: each build's tensor classes in its own class
# loader; -Dsets=8 rotates 8 sets of A and C, 200 MB, so operands come from memory as in a step),
# the ViT step of both builds alternating with PyTorch in the first and last run, the CIFAR ViT-S
# step against PyTorch, SGEMM against OpenBLAS (numpy, 2 threads), and the op profile of AFTER.
# Run from the repository root on a quiet machine:
#   OLD_CLASSES=dir OLD_JAR=jar AB=dir-with-Ab.class docs/results/engine-2026-12-01-zen3/bench.sh
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW_JAR=bench/target/benchmarks.jar
NEW_CLASSES=tensor/target/classes
export LD_PRELOAD=/usr/lib/jvm/temurin-25-jdk-amd64/lib/libjsig.so
VM="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
step() { $J $VM -cp "$1" dev.mp3.bench.StepBench "${@:2}" 2>&1 | grep -v WARNING; }
echo "--- $(lscpu | grep -E '^(Model name|CPU family|Model):' | tr -s ' ' | tr '\n' ' ')"
TA="768x6400x192:tA,192x6400x768:tA,576x6400x192:tA,192x6400x192:tA"
NN="256x256x256,512x512x512,1024x1024x1024,6400x192x576,6400x192x768,6400x768x192,6400x192x576:tB,192x6400x768"
echo "--- SGEMM one thread, warm operands: v0 = before, v1 = after $(date -u +%H:%M:%S)"
$J --add-modules jdk.incubator.vector -cp $AB Ab 1 "$TA,$NN" 4 $OLD_CLASSES $NEW_CLASSES 2>&1 | grep -v WARNING
echo "--- SGEMM two threads, operands from memory (8 sets) $(date -u +%H:%M:%S)"
$J -Dsets=8 --add-modules jdk.incubator.vector -cp $AB Ab 2 "$TA,$NN" 4 $OLD_CLASSES $NEW_CLASSES 2>&1 | grep -v WARNING
echo "--- ViT step, after, with PyTorch $(date -u +%H:%M:%S)"; step $NEW_JAR
echo "--- ViT step, before $(date -u +%H:%M:%S)"; step $OLD_JAR --torch false
echo "--- ViT step, after $(date -u +%H:%M:%S)"; step $NEW_JAR --torch false
echo "--- ViT step, before $(date -u +%H:%M:%S)"; step $OLD_JAR --torch false
echo "--- ViT step, after, with PyTorch $(date -u +%H:%M:%S)"; step $NEW_JAR
VITS="--dim 384 --depth 12 --heads 6 --patch 4 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2"
echo "--- CIFAR ViT-S step, after, with PyTorch $(date -u +%H:%M:%S)"; step $NEW_JAR $VITS
echo "--- CIFAR ViT-S step, before $(date -u +%H:%M:%S)"; step $OLD_JAR $VITS --torch false
SHAPES=256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x768x192,6400x192x576:tB,576x6400x192,576x6400x192:tA,192x6400x768:tA
for run in 1 2; do
  echo "--- SGEMM against OpenBLAS, run $run $(date -u +%H:%M:%S)"
  echo "ours:"; $J --add-modules jdk.incubator.vector -jar $NEW_JAR matmul --warmup 2 --iterations 3 --time 1 --shapes $SHAPES 2>&1 | grep "^|"
  echo "OpenBLAS:"; OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py ${SHAPES//,/ }
done
echo "--- op profile, after $(date -u +%H:%M:%S)"
$J -Dmp3.profile=true $VM -cp $NEW_JAR dev.mp3.bench.StepProfile --steps 3 --warmup 2 2>&1 | grep -v WARNING
echo "--- end $(date -u +%H:%M:%S)"
