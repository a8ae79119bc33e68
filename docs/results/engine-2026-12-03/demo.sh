#!/bin/bash
# ./mp3.sh demo under /usr/bin/time -v: the checkout in $1, label $2; appends to times.txt in the current folder.
echo "== $2 $(cd $1 && git rev-parse --short HEAD) start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> times.txt
rm -rf out-$2
OUT=$PWD
( cd $1 && /usr/bin/time -v ./mp3.sh demo --out $OUT/out-$2 ) > $2.log 2> $2.err
echo "== $2 end $(date -u +%H:%M:%S) rc=$?" >> times.txt
grep -E "Elapsed|Percent of CPU|Maximum resident" $2.err >> times.txt
