#!/bin/bash
# A/B of StepBench between two jars, alternating, PyTorch off. args: jarA jarB pairs [StepBench args...]
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
A=$1; B=$2; N=$3; shift 3
step() { $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$1" dev.mp3.bench.StepBench --torch false "${@:2}" 2>&1 | grep -E "^  ours "; }
for r in $(seq $N); do
  echo "--- $(basename $A) $(date -u +%T)"; step $A "$@"
  echo "--- $(basename $B) $(date -u +%T)"; step $B "$@"
done
