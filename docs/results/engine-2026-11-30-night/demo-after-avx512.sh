#!/bin/bash
cd /work/exp/demo-time
echo "== after $(cd /work/main && git rev-parse --short HEAD) start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
rm -rf out-after
( cd /work/main && /usr/bin/time -v ./mp3.sh demo --out /work/exp/demo-time/out-after ) > after.log 2> after.err
echo "== after end $(date -u +%H:%M:%S) rc=$?" >> times.txt
grep -E "Elapsed|Percent of CPU|Maximum resident" after.err >> times.txt
