#!/bin/bash
# The demo at the commit issue #12 was filed against (9092e4a, /work/old) and at main, alternating,
# each under /usr/bin/time -v, quiet machine.
cd /work/exp/demo-time
for pair in "old /work/old" "new /work/main"; do
  set -- $pair
  name=$1; dir=$2
  echo "== $name $(cd $dir && git rev-parse --short HEAD) start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
  rm -rf out-$name
  ( cd $dir && /usr/bin/time -v ./mp3.sh demo --out /work/exp/demo-time/out-$name ) > $name.log 2> $name.err
  echo "== $name end $(date -u +%H:%M:%S) rc=$?" >> times.txt
  grep -E "Elapsed|Percent of CPU|Maximum resident" $name.err >> times.txt
done
