#!/bin/bash
# After run.sh: seeds 1 and 2 the same way, then each seed's equal-total-updates control (its
# supervised run resumed to 6,000 updates, the bits of a 6,000-update run from scratch).
cd /work/wt-exp
while pgrep -f speech-5400/run.sh > /dev/null; do sleep 20; done
echo "[$(date -u +%T)] seeds 1, 2 at $(git rev-parse --short HEAD)"
for seed in 1 2; do
  S=(--data /work/speech --batch 64 --warmup-updates 90 --decay-every 1800 --eval-every 300 --patience 0 --seed $seed --threads 1 --updates 5400)
  O=/work/exp/speech-5400/seed$seed; mkdir -p $O
  PRE=$(ls /work/exp/speech-long/seed$seed/speech-sweep-*/pretrain-600.safetensors)
  ./mp3.sh speech-train "${S[@]}" --out $O/supervised > $O/supervised.log 2>&1 &
  ./mp3.sh speech-finetune "${S[@]}" --init $PRE --out $O/mp3-finetune > $O/mp3-finetune.log 2>&1 &
done
wait
echo "[$(date -u +%T)] equal total updates"
for seed in 0 1 2; do
  O=/work/exp/speech-5400/seed$seed
  rm -rf $O/supervised-total && mkdir -p $O/supervised-total
  cp $O/supervised/checkpoint.safetensors $O/supervised-total/checkpoint.safetensors
  ./mp3.sh speech-train --out $O/supervised-total --resume --updates 6000 --threads 1 > $O/supervised-total.log 2>&1 &
  [ $seed = 1 ] && wait
done
wait
echo "[$(date -u +%T)] done"
