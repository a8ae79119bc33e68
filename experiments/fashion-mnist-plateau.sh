#!/usr/bin/env bash
# The second supervised baseline of the README's vision comparison: the same model and recipe on
# the same labels, trained until its validation accuracy stops improving rather than for MP3's
# budget. A stratified 10% of the labelled images is held out for validation (never trained on),
# the run validates after every epoch, stops after PATIENCE epochs without a better accuracy and
# ends with the best epoch's weights; then it is tested. Also pretrains at eta = 0 for the seeds
# that fashion-mnist-10pct.sh left out, so Figure 3 has every seed.
#
# Usage: experiments/fashion-mnist-plateau.sh [OUT_DIR]   (the OUT_DIR of fashion-mnist-10pct.sh)
#   DATA=embedded SEEDS="0 1 2" PES="abs none" MAX_EPOCHS=80 PATIENCE=8 FT_BATCH=64 PT_EPOCHS=4
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/fashion-mnist-10pct}"
DATA="${DATA:-fashion-mnist}"
SEEDS="${SEEDS:-0 1 2}"
RECIPE="${RECIPE:-fmnist}"
MAX_EPOCHS="${MAX_EPOCHS:-80}"
PATIENCE="${PATIENCE:-8}"
FT_BATCH="${FT_BATCH:-64}"
PT_EPOCHS="${PT_EPOCHS:-4}"
PT_BATCH="${PT_BATCH:-128}"
FRACTION="${FRACTION:-0.1}"
PES="${PES:-abs none}"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# The fixed-length eta = 0 pretraining first (Figure 3), then the open-ended plateau runs.
for seed in $SEEDS; do
  if [ ! -f "$out/seed$seed/pretrain-eta0/position-accuracy.json" ]; then
    log "seed $seed: pretrain eta=0, $PT_EPOCHS epochs (Figure 3)"
    ./mp3.sh pretrain --data "$DATA" --recipe "$RECIPE" --seed "$seed" --eta 0 --epochs "$PT_EPOCHS" \
      --batch "$PT_BATCH" --out "$out/seed$seed/pretrain-eta0" --force
  fi
done
for seed in $SEEDS; do
  for pe in $PES; do
    log "seed $seed: supervised $pe until validation stops improving (at most $MAX_EPOCHS epochs, patience $PATIENCE)"
    ./mp3.sh train --data "$DATA" --recipe "$RECIPE" --seed "$seed" --pe "$pe" --label-fraction "$FRACTION" \
      --val-fraction 0.1 --patience "$PATIENCE" --epochs "$MAX_EPOCHS" --batch "$FT_BATCH" \
      --out "$out/seed$seed/plateau-$pe" --force
  done
done
log "done"
