#!/bin/bash
# Shortened demo, K-outer on/off alternating (same build), /usr/bin/time -v
cd /tmp/dp/k1
for rep in 1 2; do for opt in true false; do
  echo "== kOuterGemm=$opt rep $rep $(date -u +%T)"
  MP3_JAVA_OPTS="-Dmp3.kOuterGemm=$opt" /usr/bin/time -v ./mp3.sh demo --pretrain-epochs 1 --finetune-epochs 2 --out /tmp/wg/sd-$opt-$rep > /tmp/wg/sd-$opt-$rep.log 2> /tmp/wg/sd-$opt-$rep.err
  grep -E "Elapsed|Percent of CPU|Maximum resident" /tmp/wg/sd-$opt-$rep.err
  grep -A5 "^Method" /tmp/wg/sd-$opt-$rep.log | tail -4 | tr '\n' ' '; echo
done; done
