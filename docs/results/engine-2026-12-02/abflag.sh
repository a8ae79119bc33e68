#!/bin/bash
# A/B of StepBench between two JVM flag sets on one jar, alternating, PyTorch off. args: jar "flagsA" "flagsB" pairs [StepBench args...]
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=$1; FA=$2; FB=$3; N=$4; shift 4
step() { $J -Xms1200m -Xmx1200m $1 --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $JAR dev.mp3.bench.StepBench --torch false "${@:2}" 2>&1 | grep -E "^  ours "; }
for r in $(seq $N); do
  echo "--- A $FA $(date -u +%T)"; step "$FA" "$@"
  echo "--- B $FB $(date -u +%T)"; step "$FB" "$@"
done
