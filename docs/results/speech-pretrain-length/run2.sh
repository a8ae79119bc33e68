#!/usr/bin/env bash
# What ran after 00:12 (2026-12-01): experiments/speech-pretrain-length.sh's runs, the same commands,
# rearranged into two lanes so that the most finishes in this session (its queue would have run the
# third pretraining before any finetuning). Lane A: seed 0's finetuning. Lane B: seed 2's pretraining,
# then TC-ResNet8 at equal total updates for seeds 0, 1, 2. Seeds 1 and 2's finetuning runs follow.
set -u
cd /work/main
out=/work/exp/speech-pt
DATA=/work/speech; L=2400; N=5400
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
finished() { [ -f "$out/seed$1/pretrain/metrics.json" ]; }
finetune() {
  ./mp3.sh speech-finetune --data "$DATA" --batch 64 --warmup-updates $(( N / 60 )) --decay-every $(( N / 3 )) \
    --eval-every 300 --patience 0 --seed "$1" --threads 1 --updates "$N" --init "$out/seed$1/pretrain/pretrain-$L.safetensors" \
    --out "$out/seed$1/finetune-$L" > "$out/seed$1/finetune-$L.log" 2>&1
}
tc_total() {
  local n=$(( N + L ))
  ./mp3.sh speech-train --model tc-resnet8 --data "$DATA" --batch 64 --updates "$n" --decay-every $(( n / 3 )) \
    --eval-every 300 --patience 0 --seed "$1" --threads 1 --out "$out/seed$1/tc-resnet8-total" \
    > "$out/seed$1/tc-resnet8-total.log" 2>&1
}
(
  until finished 0; do sleep 20; done
  log "A: seed 0 finetuning"; finetune 0; log "A: seed 0 finetuning ended"
) &
(
  until finished 1; do sleep 20; done
  mkdir -p $out/seed2
  log "B: seed 2 pretraining"
  ./mp3.sh speech-pretrain --data "$DATA" --batch 64 --warmup-updates 30 --decay-every 1200 --eval-every 300 \
    --patience 0 --seed 2 --threads 1 --updates "$L" --snapshots 600,1200,1800,2400 --out "$out/seed2/pretrain" \
    > "$out/seed2/pretrain.log" 2>&1
  for s in 0 1 2; do log "B: TC-ResNet8 seed $s, $(( N + L )) updates"; tc_total $s; done
  log "B: ended"
) &
wait
