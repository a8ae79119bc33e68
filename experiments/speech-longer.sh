#!/usr/bin/env bash
# Issue #15: Tables 5 and 6 at three times the 1,800-update budget, to see whether the speech
# Transformer and MP3 had converged there. For each seed, at 5,400 labelled updates of 64 clips:
#   - the supervised Transformer (warm-up 90 at 1e-4, then 1e-3 halved every 1,800, validation every
#     300, no early stopping: each run keeps its best validation's weights);
#   - MP3 finetuning with the same schedule from each pretraining snapshot in PRETRAIN, taken from the
#     1,800-update comparison of experiments/speech.sh (the largest is Table 5's MP3 row, all of them
#     with the supervised run are Table 6);
#   - TC-ResNet8 with its authors' recipe scaled to 5,400 updates (SGD momentum 0.9, weight decay 1e-3,
#     lr 0.1 / 0.01 / 0.001 from updates 0 / 1,800 / 3,600), as experiments/speech.sh scales it;
#   - the equal-total-updates control: the supervised run resumed to 5,400 + the largest PRETRAIN
#     updates (the bits of a run that long from scratch).
#
#   experiments/speech-longer.sh PREV OUT     PREV: an experiments/speech.sh output (its
#                                              seed*/speech-sweep-*/pretrain-P.safetensors, or
#                                              seed*/table6/speech-sweep-*/ for lengths added later)
#   DATA=/work/speech SEEDS="0 1 2" PRETRAIN="150 300 600" experiments/speech-longer.sh /work/exp/speech-long /work/exp/speech-5400
#   python3 experiments/summarize_speech.py OUT
#
# Seed after seed, two one-thread runs at a time (one per core of a 2-core machine; a speech
# Transformer update of 64 clips took 0.35-0.7 s on one core, a TC-ResNet8 update 0.07 s; more runs
# at once finish no sooner and all at the end). Outputs follow speech.sh's layout, which
# summarize_speech.py reads: seedS/finetune-0 (supervised), seedS/finetune-P (MP3 from P pretraining
# updates), seedS/tc-resnet8, seedS/supervised-total.
set -euo pipefail
cd "$(dirname "$0")/.."
prev="${1:?usage: experiments/speech-longer.sh PREV_OUT OUT}"
out="${2:?usage: experiments/speech-longer.sh PREV_OUT OUT}"
DATA="${DATA:-$HOME/.cache/mp3/speech-commands-synthetic}"
SEEDS="${SEEDS:-0 1 2}"
PRETRAIN="${PRETRAIN:-600}"
N="${N:-5400}"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
snapshot() { # SEED P -> the P-update pretraining snapshot of PREV's sweep for that seed
  ls "$prev"/seed"$1"/speech-sweep-*/pretrain-"$2".safetensors "$prev"/seed"$1"/table6/speech-sweep-*/pretrain-"$2".safetensors \
    2>/dev/null | tail -1 || true
}
two_at_a_time() { # runs "$@" in the background once fewer than two runs are going
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
  "$@" &
}
longest=$(printf '%s\n' $PRETRAIN | sort -n | tail -1)
for seed in $SEEDS; do
  for p in $PRETRAIN; do
    [ -n "$(snapshot "$seed" "$p")" ] || { echo "speech-longer: no pretrain-$p.safetensors for seed $seed under $prev (run experiments/speech.sh with P=$p first)" >&2; exit 1; }
  done
done
mkdir -p "$out"
for seed in $SEEDS; do
  schedule=(--data "$DATA" --batch 64 --warmup-updates $(( N / 60 )) --decay-every $(( N / 3 )) --eval-every 300
            --patience 0 --seed "$seed" --threads 1 --updates "$N")
  o="$out/seed$seed"
  mkdir -p "$o"
  log "seed $seed: supervised Transformer, MP3 finetuning from $PRETRAIN pretraining updates and TC-ResNet8, $N updates each"
  two_at_a_time ./mp3.sh speech-train "${schedule[@]}" --out "$o/finetune-0" > "$o/finetune-0.log" 2>&1
  for p in $PRETRAIN; do
    two_at_a_time ./mp3.sh speech-finetune "${schedule[@]}" --init "$(snapshot "$seed" "$p")" --out "$o/finetune-$p" \
      > "$o/finetune-$p.log" 2>&1
  done
  two_at_a_time ./mp3.sh speech-train --model tc-resnet8 --data "$DATA" --batch 64 --updates "$N" --decay-every $(( N / 3 )) \
    --eval-every 300 --patience 0 --seed "$seed" --threads 1 --out "$o/tc-resnet8" > "$o/tc-resnet8.log" 2>&1
  wait
  log "seed $seed: supervised Transformer resumed to $(( N + longest )) updates (equal total updates)"
  rm -rf "$o/supervised-total" && mkdir -p "$o/supervised-total"
  cp "$o/finetune-0/checkpoint.safetensors" "$o/supervised-total/"
  ./mp3.sh speech-train --out "$o/supervised-total" --resume --updates $(( N + longest )) --threads 1 > "$o/supervised-total.log" 2>&1
done
log "done: python3 experiments/summarize_speech.py $out"
