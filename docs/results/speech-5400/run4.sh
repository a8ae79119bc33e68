#!/bin/bash
# run3.sh for seeds 0 and 1 (seed 2 was stopped at about update 880 of 5,400 to end inside the session):
# side): once all six runs have finished, each seed's equal-total-updates control, its supervised
# run resumed to 6,000 updates (the bits of a 6,000-update run from scratch).
cd /work/wt-exp
while pgrep -f 'speech-5400/seed./(supervised|mp3-finetune)( |$)' > /dev/null; do sleep 30; done
echo "[$(date -u +%T)] equal total updates"
for seed in 0 1; do
  O=/work/exp/speech-5400/seed$seed
  rm -rf $O/supervised-total && mkdir -p $O/supervised-total
  cp $O/supervised/checkpoint.safetensors $O/supervised-total/checkpoint.safetensors
  ./mp3.sh speech-train --out $O/supervised-total --resume --updates 6000 --threads 1 > $O/supervised-total.log 2>&1 &
  
done
wait
echo "[$(date -u +%T)] done"
