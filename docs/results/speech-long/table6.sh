#!/usr/bin/env bash
# Table 6 at three seeds (session of 2026-11-30, afternoon): the speech-long budget (N=1800, P=600,
# batch 64, validation every 200, warm-up 30, decay every 600, one thread), adding the pretraining
# lengths 150 and 300 for seeds 1 and 2 (their sweeps ran 0 and 600) and finetuning seed 0's
# pretrain-300 snapshot (its sweep was stopped after the 150 row). Commit bb8eade (/work/wt).
set -euo pipefail
cd /work/wt
OUT=/work/exp/speech-long
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
common=(--data /work/speech --batch 64 --warmup-updates 30 --decay-every 600 --eval-every 200 --patience 0 --threads 1)
for s in 1 2; do
  log "seed $s: MP3 pretraining snapshots at 150 and 300, 1800 finetuning updates each"
  ./mp3.sh speech-sweep "${common[@]}" --seed "$s" --updates 1800 --pretrain-updates 150,300 --out "$OUT/seed$s/table6"
done
snap=$(ls "$OUT"/seed0/speech-sweep-*/pretrain-300.safetensors | tail -1)
log "seed 0: MP3 finetuning from $snap, 1800 updates"
./mp3.sh speech-finetune "${common[@]}" --seed 0 --updates 1800 --init "$snap" --out "$OUT/seed0/finetune-300" --force
log "done"
