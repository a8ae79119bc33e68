#!/bin/bash
# Issue #12, 2026-12-01 evening, AVX2 Zen 3 box: the ViT steps with the PyTorch twin alternating step by
# step (StepBench now does that), the step of HEAD (BEFORE = 7f5e236, the session's start) and AFTER
# alternating, the CIFAR ViT-S shape, the SGEMM of both builds (Ab.java, alternating 0.25 s windows)
# and against OpenBLAS (numpy, 2 threads), and the op profile. Run from the repository root:
#   OLD_JAR=jar OLD_CLASSES=dir AB=dir-with-Ab.class docs/results/engine-2026-12-01-evening/bench.sh
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW_JAR=bench/target/benchmarks.jar
NEW_CLASSES=tensor/target/classes
export LD_PRELOAD=/usr/lib/jvm/temurin-25-jdk-amd64/lib/libjsig.so
VM="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
step() { $J $VM -cp "$1" dev.mp3.bench.StepBench "${@:2}" 2>&1 | grep -v WARNING; }
echo "--- $(lscpu | grep -E '^(Model name|CPU family|Model):' | tr -s ' ' | tr '\n' ' ') $(git rev-parse --short HEAD)"
echo "--- ViT step with PyTorch alternating, run 1 $(date -u +%H:%M:%S)"; step $NEW_JAR
echo "--- ViT step, before $(date -u +%H:%M:%S)"; step $OLD_JAR --torch false
echo "--- ViT step, after $(date -u +%H:%M:%S)"; step $NEW_JAR --torch false
echo "--- ViT step, before $(date -u +%H:%M:%S)"; step $OLD_JAR --torch false
echo "--- ViT step, after $(date -u +%H:%M:%S)"; step $NEW_JAR --torch false
echo "--- ViT step with PyTorch alternating, run 2 $(date -u +%H:%M:%S)"; step $NEW_JAR
VITS="--dim 384 --depth 12 --heads 6 --patch 4 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2"
echo "--- CIFAR ViT-S step with PyTorch alternating $(date -u +%H:%M:%S)"; step $NEW_JAR $VITS
SHAPES=256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x192x768,6400x768x192,6400x192x576:tB,768x6400x192:tA,192x6400x768:tA
echo "--- SGEMM two threads, v0 = before, v1 = after $(date -u +%H:%M:%S)"
$J --add-modules jdk.incubator.vector -cp $AB Ab 2 "$SHAPES" 4 $OLD_CLASSES $NEW_CLASSES 2>&1 | grep -v WARNING
echo "--- SGEMM against OpenBLAS $(date -u +%H:%M:%S)"
echo "ours:"; $J --add-modules jdk.incubator.vector -jar $NEW_JAR matmul --warmup 2 --iterations 3 --time 1 --shapes $SHAPES 2>&1 | grep "^|"
echo "OpenBLAS:"; env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py ${SHAPES//,/ }
echo "--- op profile, after $(date -u +%H:%M:%S)"
$J -Dmp3.profile=true $VM -cp $NEW_JAR dev.mp3.bench.StepProfile --steps 3 --warmup 2 2>&1 | grep -v WARNING
echo "--- end $(date -u +%H:%M:%S)"
