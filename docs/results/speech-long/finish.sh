#!/usr/bin/env bash
# The rest of experiments/speech.sh for /work/exp/speech-long (started 09:22 UTC with N=1800 P=600
# BATCH=64 EVAL=200 THREADS=1, SEEDS="0" and SEEDS="1 2" side by side), rearranged at 10:05 to end
# within the session:
#  - seed 0's sweep (pretraining lengths 0,150,300,600) is stopped once finetune-150 is written; its
#    600 row is finetuned by speech-finetune from the same snapshot (Table 6: 0, 150, 600);
#  - the equal-total-updates control is each seed's supervised finetune-0 run extended from 1800 to
#    2400 updates (speech-train --resume --updates 2400: bit-identical to a 2400-update run);
#  - seed 2's sweep (0,600), TC-ResNet8 for every seed; no per-voice evaluation this time.
# Usage: finish.sh A|B  (two workers, one thread each)
set -euo pipefail
cd /work/exp-wt2
OUT=/work/exp/speech-long
DATA=/work/speech
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
waitpid() { while kill -0 "$1" 2>/dev/null; do sleep 15; done; }
waitfile() { while ! ls $1 >/dev/null 2>&1; do sleep 15; done; }
common=(--data "$DATA" --batch 64 --warmup-updates 30 --decay-every 600 --eval-every 200 --patience 0 --threads 1)
extend() {
  local s=$1 ck
  ck=$(ls "$OUT"/seed"$s"/speech-sweep-*/finetune-0.safetensors | tail -1)
  mkdir -p "$OUT/seed$s/supervised-total"
  cp "$ck" "$OUT/seed$s/supervised-total/checkpoint.safetensors"
  log "seed $s: the supervised Transformer extended from 1800 to 2400 updates (equal total updates)"
  ./mp3.sh speech-train --out "$OUT/seed$s/supervised-total" --resume --updates 2400 --threads 1
}
tc() {
  log "seed $1: TC-ResNet8, 1800 updates"
  ./mp3.sh speech-train --model tc-resnet8 --data "$DATA" --batch 64 --updates 1800 --decay-every 600 \
    --eval-every 200 --patience 0 --seed "$1" --threads 1 --out "$OUT/seed$1/tc-resnet8" --force
}
case "$1" in
  A)
    # finetune-150's test accuracy is printed before the sweep moves on to the 300 snapshot
    while ! grep -q "after 300 pretraining updates" "$OUT/log-seed0.txt"; do sleep 10; done
    sleep 20   # the 300 snapshot's position accuracy (Table 6's position columns), then stop
    log "seed 0: finetune-150 done; stopping the sweep (pid 23962) before finetune-300"
    kill 23962 || true
    snap=$(ls "$OUT"/seed0/speech-sweep-*/pretrain-600.safetensors | tail -1)
    log "seed 0: MP3 finetuning from $snap, 1800 updates"
    ./mp3.sh speech-finetune "${common[@]}" --seed 0 --updates 1800 --init "$snap" --out "$OUT/seed0/finetune-600" --force
    extend 0; tc 0; extend 1; tc 1
    waitfile "$OUT/seed2/speech-sweep-*/finetune-0.safetensors"
    extend 2; tc 2 ;;
  B)
    waitpid 24029
    log "seed 2: supervised Transformer and MP3 (pretraining 600), 1800 finetuning updates each"
    ./mp3.sh speech-sweep "${common[@]}" --seed 2 --updates 1800 --pretrain-updates 0,600 --out "$OUT/seed2" ;;
esac
log "done $1"
