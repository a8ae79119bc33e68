#!/usr/bin/env bash
# The vision experiment of the README on the full Fashion-MNIST: MP3 pretraining on all 60,000
# training images (no labels), finetuning on 10% of the labels (6,000, 600 per class) with absolute
# and with no position embedding, the two supervised baselines on the same 6,000 labels and recipe,
# and position accuracy of models pretrained at eta = 0.75 and eta = 0.
# Needs the full set: Debian's dataset-fashion-mnist, or ./mp3.sh ... --data fashion-mnist --download.
# Usage: experiments/fashion-mnist-10pct.sh [OUT_DIR]      (about 2-3 hours on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/fashion-mnist-10pct}"
PT_EPOCHS="${PT_EPOCHS:-8}"
PT0_EPOCHS="${PT0_EPOCHS:-4}"
FT_EPOCHS="${FT_EPOCHS:-20}"
common=(--data fashion-mnist --model fmnist --seed 0)
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

log "pretrain eta=0.75, $PT_EPOCHS epochs"
./mp3.sh pretrain "${common[@]}" --eta 0.75 --epochs "$PT_EPOCHS" --out "$out/pretrain-eta0.75"
for pe in abs none; do
  log "finetune $pe, $FT_EPOCHS epochs"
  ./mp3.sh finetune --data fashion-mnist --seed 0 --init "$out/pretrain-eta0.75/checkpoint.safetensors" \
    --pe "$pe" --label-fraction 0.1 --epochs "$FT_EPOCHS" --out "$out/finetune-$pe"
  log "supervised $pe, $FT_EPOCHS epochs"
  ./mp3.sh train "${common[@]}" --pe "$pe" --label-fraction 0.1 --epochs "$FT_EPOCHS" --out "$out/supervised-$pe"
done
log "pretrain eta=0, $PT0_EPOCHS epochs"
./mp3.sh pretrain "${common[@]}" --eta 0 --epochs "$PT0_EPOCHS" --out "$out/pretrain-eta0"
for eta in 0.75 0; do
  log "position accuracy of the eta=$eta model"
  ./mp3.sh eval --data fashion-mnist --checkpoint "$out/pretrain-eta$eta/checkpoint.safetensors" --etas 0,0.25,0.5,0.75
done
log "done"
