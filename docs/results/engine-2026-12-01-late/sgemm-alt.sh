#!/bin/bash
# (operands not rotated: ours, like numpy, multiplies the same arrays every call) alternate ours (Ab, one build) and numpy per shape, 3 times; prints ratio per pair
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; BUILD=${BUILD:-/tmp/v/pk8}
for s in ${SHAPES//,/ }; do
  line="| $s |"
  for r in 1 2 3; do
    o=$($J/java -Dsets=1 --add-modules jdk.incubator.vector -cp ${AB:-/tmp/ab} Ab 2 "384x384x384,$s" 4 $BUILD 2>&1 | grep "^| $s" | awk -F'|' '{print $3}')
    n=$(OPENBLAS_NUM_THREADS=2 /usr/bin/python3 $(dirname $0)/../engine-2026-12-01-night/numpy_sgemm.py "$s" | awk '{print $5}')
    line="$line $o / $n = $(python3 -c "print(f'{$o/$n:.2f}')") |"
  done
  echo "$line"
done
