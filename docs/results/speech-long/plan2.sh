#!/usr/bin/env bash
# Second plan of the afternoon (12:10 UTC): table6.sh's bash was stopped while its seed-1 sweep ran on,
# so that the two cores end together:
#  core 0 (A): wait for the seed-1 sweep (pid 11198), seed 2's sweep (150, 300; commit bb8eade, /work/wt),
#              then TC-ResNet8 full recipe seed 2 (commit 411cf8a, /work/wt3);
#  core 1 (B): wait for TC-ResNet8 seed 0 (pid 13798, commit 072c367), TC-ResNet8 seed 1 (411cf8a),
#              then seed 0's Table 6 row at 300 (speech-finetune from its pretrain-300 snapshot, bb8eade).
set -euo pipefail
OUT=/work/exp/speech-long
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
waitpid() { while kill -0 "$1" 2>/dev/null; do sleep 15; done; }
common=(--data /work/speech --batch 64 --warmup-updates 30 --decay-every 600 --eval-every 200 --patience 0 --threads 1)
tc() {
  log "TC-ResNet8 full recipe, seed $1"
  (cd /work/wt3 && taskset -c "$2" ./mp3.sh speech-train --model tc-resnet8 --data /work/speech --patience 0 --seed "$1" \
    --threads 1 --out /work/exp/tc-full/seed$1 --force)
}
case "$1" in
  A)
    waitpid 11198
    log "seed 2: MP3 pretraining snapshots at 150 and 300, 1800 finetuning updates each"
    (cd /work/wt && taskset -c 0 ./mp3.sh speech-sweep "${common[@]}" --seed 2 --updates 1800 --pretrain-updates 150,300 \
      --out "$OUT/seed2/table6")
    tc 2 0 ;;
  B)
    waitpid 13798
    tc 1 1
    snap=$(ls "$OUT"/seed0/speech-sweep-*/pretrain-300.safetensors | tail -1)
    log "seed 0: MP3 finetuning from $snap, 1800 updates"
    (cd /work/wt && taskset -c 1 ./mp3.sh speech-finetune "${common[@]}" --seed 0 --updates 1800 --init "$snap" \
      --out "$OUT/seed0/finetune-300" --force) ;;
esac
log "done $1"
