#!/bin/bash
# StepBench with the PyTorch twin at three shapes, the default collector (G1), -Xmx16g; main's bench jar.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=/work/main/bench/target/benchmarks.jar
cd /work/main
for args in "" "--dim 384 --depth 12 --heads 6 --image 32 --channels 3 --batch 32 --steps 5 --warmup 2" "--dim 128 --depth 6 --heads 4"; do
  echo "== StepBench -Xmx16g $args --openblas-coretype COOPERLAKE $(date -u)"
  $J -Xmx16g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $JAR dev.mp3.bench.StepBench $args --openblas-coretype COOPERLAKE 2>&1 | grep -v WARN
done
echo "== end $(date -u)"
