#!/bin/bash
# Zen 5 figures: FmaPeak, SgemmPeerBench (OpenBLAS on its AVX-512 Cooperlake kernel), StepBench 3 shapes, StepProfile
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=${JAR:-/work/main/bench/target/benchmarks.jar}
cd /work/main
echo "== FmaPeak $(date -u)"
$J --add-modules jdk.incubator.vector -cp $JAR dev.mp3.bench.FmaPeak 2>&1 | grep -v WARN | tail -5
echo "== SgemmPeerBench 12 shapes OPENBLAS_CORETYPE=COOPERLAKE $(date -u)"
OPENBLAS_CORETYPE=COOPERLAKE $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $JAR dev.mp3.bench.SgemmPeerBench --threads 2 --rounds 6 2>&1 | grep -v WARN
for args in "" "--dim 384 --depth 12 --heads 6 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2" "--dim 128 --depth 6 --heads 4 --batch 64"; do
  echo "== StepBench -Xmx16g $args --openblas-coretype COOPERLAKE $(date -u)"
  $J -Xmx16g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $JAR dev.mp3.bench.StepBench $args --openblas-coretype COOPERLAKE 2>&1 | grep -v WARN
done
echo "== StepProfile ViT-192 $(date -u)"
$J -Dmp3.profile=true --add-modules jdk.incubator.vector -cp $JAR dev.mp3.bench.StepProfile 2>&1 | grep -v WARN | grep -E "s/step|matrix products|^matmul |attention|sumTo|outside|GELU|layerNorm"
echo "== end $(date -u)"
