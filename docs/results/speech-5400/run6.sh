#!/bin/bash
# Replaces run5.sh's last step: seed 1's equal-total control starts as soon as its supervised run
# has finished (not after the MP3 run too).
cd /work/wt-exp
O=/work/exp/speech-5400/seed1
while [ ! -f $O/supervised/metrics.json ]; do sleep 10; done
rm -rf $O/supervised-total && mkdir -p $O/supervised-total
cp $O/supervised/checkpoint.safetensors $O/supervised-total/checkpoint.safetensors
echo "[$(date -u +%T)] seed 1: equal total updates"
./mp3.sh speech-train --out $O/supervised-total --resume --updates 6000 --threads 1 > $O/supervised-total.log 2>&1
echo "[$(date -u +%T)] seed 1: done"
