#!/bin/bash
# Session of 2026-11-30 (evening), issue #15: finishes Table 5 at 5,400 labelled updates for seed 2
# (its supervised and MP3 runs resumed bit-exactly from their checkpoints at update ~880, then the
# equal-total control), then a queue of one-thread runs on two workers: TC-ResNet8 at 5,400 updates
# of 64 (seeds 0-2; lr 0.1/0.01/0.001 from 0/1,800/3,600 as experiments/speech.sh scales the
# authors' recipe) and Table 6 at 5,400 finetuning updates (MP3 from the 300- and 150-update
# pretraining snapshots of the 1,800-update sweep, seeds 0-2). Commit 9f7daff (/work/wt-exp).
cd /work/wt-exp
E=/work/exp/speech-5400
Q=/work/exp/speech-5400/queue
S=(--data /work/speech --batch 64 --warmup-updates 90 --decay-every 1800 --eval-every 300 --patience 0 --threads 1 --updates 5400)
log() { echo "[$(date -u +%T)] $*"; }
snapshot() { # seed P -> the P-update pretraining snapshot of the 1,800-update sweep
  ls /work/exp/speech-long/seed$1/speech-sweep-*/pretrain-$2.safetensors /work/exp/speech-long/seed$1/table6/speech-sweep-*/pretrain-$2.safetensors 2>/dev/null | tail -1; }
job() { # one queue line: "tc SEED" or "ft SEED P"
  set -- $1
  if [ "$1" = tc ]; then
    log "seed $2: TC-ResNet8, 5400 updates"
    ./mp3.sh speech-train --model tc-resnet8 --data /work/speech --batch 64 --updates 5400 --decay-every 1800 \
      --eval-every 300 --patience 0 --seed $2 --threads 1 --out $E/seed$2/tc-resnet8 --force > $E/seed$2/tc-resnet8.log 2>&1
  else
    pre=$(snapshot $2 $3)
    log "seed $2: MP3 finetuning from $pre, 5400 updates"
    ./mp3.sh speech-finetune "${S[@]}" --seed $2 --init $pre --out $E/seed$2/finetune-$3 --force > $E/seed$2/finetune-$3.log 2>&1
  fi
  log "  done: $1 $2 $3"
}
worker() {
  while true; do
    line=$(flock $Q/lock bash -c "head -1 $Q/jobs.txt; sed -i 1d $Q/jobs.txt")
    [ -n "$line" ] || break
    job "$line"
  done
}
printf '%s\n' "tc 0" "tc 1" "tc 2" "ft 0 300" "ft 1 300" "ft 2 300" "ft 0 150" "ft 1 150" "ft 2 150" > $Q/jobs.txt
O=$E/seed2
log "start at $(git rev-parse --short HEAD)"
( ./mp3.sh speech-train --out $O/supervised --resume --threads 1 >> $O/supervised.log 2>&1
  log "seed 2: supervised done; equal total updates"
  rm -rf $O/supervised-total && mkdir -p $O/supervised-total
  cp $O/supervised/checkpoint.safetensors $O/supervised-total/checkpoint.safetensors
  ./mp3.sh speech-train --out $O/supervised-total --resume --updates 6000 --threads 1 > $O/supervised-total.log 2>&1
  log "seed 2: equal total done"
  worker ) &
( ./mp3.sh speech-finetune --out $O/mp3-finetune --resume --threads 1 >> $O/mp3-finetune.log 2>&1
  log "seed 2: MP3 done"
  worker ) &
wait
log "all done"
