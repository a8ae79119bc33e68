#!/bin/bash
# SgemmPeerBench under several flag sets, alternating processes; prints each run's ratios. args: jar rounds shapes "flagsA" "flagsB" ...
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=$1; R=$2; SH=$3; shift 3
for rep in 1 2; do for f in "$@"; do
  echo "== $f $(date -u +%T)"
  $J $f --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp $JAR dev.mp3.bench.SgemmPeerBench --rounds $R --shapes $SH 2>&1 | grep "^| [0-9]"
done; done
