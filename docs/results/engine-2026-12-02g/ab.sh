#!/bin/bash
# alternating JVM runs of Ser at the demo shape: A = today's pool (a quarter, no reclaim), B = reclaim + share $2; mode $1
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
for i in 1 2 3; do
 for cfg in A B; do
  if [ $cfg = A ]; then o="-Dmp3.noReclaim=true -Dmp3.poolShare=0.25"; else o="-Dmp3.poolShare=$2"; fi
  echo "$cfg $(date -u +%T) $($J/java $o -Xmx1200m -Xms1200m --add-modules jdk.incubator.vector -cp /tmp/s1/exp/bench/target/benchmarks.jar:. dev.mp3.bench.Ser $1 --dim 128 --depth 6 --heads 4 --batch 128 2>&1 | grep step | awk '{printf "%s ", $3}')"
 done
done
