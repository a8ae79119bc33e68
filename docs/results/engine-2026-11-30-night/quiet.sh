#!/bin/bash
# Issue #12 on the Skylake box (lscpu model 85), quiet: SGEMM of this session's kernel (AFTER) and of
# 3872dea (BEFORE) against OpenBLAS 0.3.21 (its SkylakeX kernel, chosen by itself) through numpy, 2
# threads, alternating; then the ViT step, after and before alternating, the PyTorch twin in the
# after runs. Run from the repository root with BEFORE=/path/to/3872dea's checkout, both built
# (mvn -q package -DskipTests -pl bench -am).
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
AFTER=bench/target/benchmarks.jar
BEFORE=${BEFORE:-/work/before}/bench/target/benchmarks.jar
SHAPES=256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,6400x192x576,6400x192x768,6400x768x192,6400x192x192,6400x192x576:tB,576x6400x192,576x6400x192:tA
step() { $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$1" dev.mp3.bench.StepBench "${@:2}" 2>&1 | grep -v WARNING; }
for run in 1 2; do
  echo "--- SGEMM run $run $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "after:";  $J --add-modules jdk.incubator.vector -jar $AFTER matmul --warmup 2 --iterations 3 --time 1 --shapes $SHAPES 2>&1 | grep "^|"
  echo "OpenBLAS:"; OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py ${SHAPES//,/ }
  echo "before:"; $J --add-modules jdk.incubator.vector -jar $BEFORE matmul --warmup 2 --iterations 3 --time 1 --shapes $SHAPES 2>&1 | grep "^|"
done
echo "--- step, after with PyTorch $(date -u +%H:%M:%S)"; step $AFTER
echo "--- step, before $(date -u +%H:%M:%S)"; step $BEFORE --torch false
echo "--- step, after $(date -u +%H:%M:%S)"; step $AFTER --torch false
echo "--- step, before with PyTorch $(date -u +%H:%M:%S)"; step $BEFORE
echo "--- profile, after $(date -u +%H:%M:%S)"
$J -Dmp3.profile=true --add-modules jdk.incubator.vector -cp $AFTER dev.mp3.bench.StepProfile --steps 3 --warmup 2 2>&1 | grep -v WARNING
echo "--- end $(date -u +%H:%M:%S)"
