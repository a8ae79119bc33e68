#!/usr/bin/env bash
# The README's vision comparison: MP3 pretraining on the training images without labels, then
# finetuning on 10% of the labels with absolute and with no position embedding, against the
# supervised baselines on the same labels with the same recipe and the SAME TOTAL NUMBER OF UPDATES
# (pretraining + finetuning), for several seeds; then Figure 3: position accuracy per test eta of
# models pretrained at eta = 0.75 and eta = 0 for the same number of epochs.
#
# Usage: experiments/fashion-mnist-10pct.sh [OUT_DIR]
#   DATA=fashion-mnist  the full set (60,000 / 10,000; Debian's dataset-fashion-mnist, or add --download)
#   DATA=embedded       the 10,000 / 2,000 subset inside the jar (what the README's table used)
#   SEEDS="0 1 2" PT_EPOCHS=4 FT_EPOCHS=15 FT_BATCH=64 RECIPE=fmnist
# Then: python3 experiments/summarize.py OUT_DIR   (the mean +- std table)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/fashion-mnist-10pct}"
DATA="${DATA:-fashion-mnist}"
SEEDS="${SEEDS:-0 1 2}"
RECIPE="${RECIPE:-fmnist}"
PT_EPOCHS="${PT_EPOCHS:-4}"
PT_BATCH="${PT_BATCH:-128}"
FT_EPOCHS="${FT_EPOCHS:-15}"
FT_BATCH="${FT_BATCH:-64}"
FRACTION="${FRACTION:-0.1}"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# Updates per epoch: the trainer drops the last incomplete batch.
train_size=$(case "$DATA" in embedded) echo 10000;; *) echo 60000;; esac)
labelled=$(python3 -c "print(round($FRACTION * $train_size))")
pt_updates=$(( PT_EPOCHS * (train_size / PT_BATCH) ))
ft_per_epoch=$(( labelled / FT_BATCH ))
ft_updates=$(( FT_EPOCHS * ft_per_epoch ))
# The supervised baseline gets the epochs that make pretraining + finetuning's updates (rounded up).
sup_epochs=$(( (pt_updates + ft_updates + ft_per_epoch - 1) / ft_per_epoch ))
log "data $DATA: $train_size training images, $labelled labels; MP3 = $pt_updates + $ft_updates updates,"\
    "supervised = $sup_epochs epochs = $(( sup_epochs * ft_per_epoch )) updates"
mkdir -p "$out"
cat > "$out/budget.txt" <<INFO
data=$DATA recipe=$RECIPE seeds=$SEEDS
pretraining: $PT_EPOCHS epochs x $(( train_size / PT_BATCH )) updates of $PT_BATCH = $pt_updates updates
finetuning: $FT_EPOCHS epochs x $ft_per_epoch updates of $FT_BATCH = $ft_updates updates
supervised: $sup_epochs epochs x $ft_per_epoch updates of $FT_BATCH = $(( sup_epochs * ft_per_epoch )) updates
INFO

for seed in $SEEDS; do
  common=(--data "$DATA" --recipe "$RECIPE" --seed "$seed")
  log "seed $seed: pretrain eta=0.75, $PT_EPOCHS epochs"
  ./mp3.sh pretrain "${common[@]}" --eta 0.75 --epochs "$PT_EPOCHS" --batch "$PT_BATCH" \
    --out "$out/seed$seed/pretrain-eta0.75" --force
  for pe in abs none; do
    log "seed $seed: finetune $pe, $FT_EPOCHS epochs"
    ./mp3.sh finetune "${common[@]}" --init "$out/seed$seed/pretrain-eta0.75/checkpoint.safetensors" \
      --pe "$pe" --label-fraction "$FRACTION" --epochs "$FT_EPOCHS" --batch "$FT_BATCH" \
      --out "$out/seed$seed/finetune-$pe" --force
    log "seed $seed: supervised $pe, $sup_epochs epochs (equal updates)"
    ./mp3.sh train "${common[@]}" --pe "$pe" --label-fraction "$FRACTION" --epochs "$sup_epochs" \
      --batch "$FT_BATCH" --out "$out/seed$seed/supervised-$pe" --force
  done
done

first=$(echo "$SEEDS" | awk '{print $1}')
log "Figure 3: pretrain eta=0 for the same $PT_EPOCHS epochs (seed $first)"
./mp3.sh pretrain --data "$DATA" --recipe "$RECIPE" --seed "$first" --eta 0 --epochs "$PT_EPOCHS" \
  --batch "$PT_BATCH" --out "$out/seed$first/pretrain-eta0" --force
log "done; python3 experiments/summarize.py $out"
