#!/usr/bin/env bash
# Issue #15: Table 5 at three times the 1,800-update budget, to see whether the speech Transformer
# and MP3 had converged there. For each seed: the supervised Transformer and MP3 finetuning at
# 5,400 labelled updates of 64 clips (warm-up 90 at 1e-4, then 1e-3 halved every 1,800, validation
# every 300, no early stopping), MP3 finetuned from the same 600-update pretraining snapshot as the
# 1,800-update comparison of experiments/speech.sh; then the equal-total-updates control (the
# supervised run resumed to 6,000 updates, the bits of a 6,000-update run from scratch).
#
#   experiments/speech-longer.sh PREV OUT     PREV: an experiments/speech.sh output with P=600
#                                              (its seed*/speech-sweep-*/pretrain-600.safetensors)
#   DATA=/work/speech SEEDS="0 1 2" experiments/speech-longer.sh /work/exp/speech-long /work/exp/speech-5400
#   python3 experiments/summarize_speech.py OUT
#
# Seed after seed, the two runs of a seed side by side on one thread each (one per core of a 2-core
# machine; a speech Transformer update of 64 clips took 0.35-0.7 s on one core, so a seed takes
# 35-65 minutes; six runs at once finish no sooner and all at the end). Outputs follow speech.sh's
# layout, which summarize_speech.py reads: seedS/finetune-0 (supervised), seedS/finetune-600 (MP3),
# seedS/supervised-total.
set -euo pipefail
cd "$(dirname "$0")/.."
prev="${1:?usage: experiments/speech-longer.sh PREV_OUT OUT}"
out="${2:?usage: experiments/speech-longer.sh PREV_OUT OUT}"
DATA="${DATA:-$HOME/.cache/mp3/speech-commands-synthetic}"
SEEDS="${SEEDS:-0 1 2}"
N="${N:-5400}"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
mkdir -p "$out"
for seed in $SEEDS; do
  pre=$(ls "$prev"/seed"$seed"/speech-sweep-*/pretrain-600.safetensors 2>/dev/null | tail -1 || true)
  [ -n "$pre" ] || { echo "speech-longer: no pretrain-600.safetensors under $prev/seed$seed/speech-sweep-*/ (run experiments/speech.sh with P=600 first)" >&2; exit 1; }
done
for seed in $SEEDS; do
  pre=$(ls "$prev"/seed"$seed"/speech-sweep-*/pretrain-600.safetensors | tail -1)
  schedule=(--data "$DATA" --batch 64 --warmup-updates $(( N / 60 )) --decay-every $(( N / 3 )) --eval-every 300
            --patience 0 --seed "$seed" --threads 1 --updates "$N")
  o="$out/seed$seed"
  mkdir -p "$o"
  log "seed $seed: supervised Transformer and MP3 finetuning from $pre, $N updates each, side by side"
  ./mp3.sh speech-train "${schedule[@]}" --out "$o/finetune-0" > "$o/finetune-0.log" 2>&1 &
  ./mp3.sh speech-finetune "${schedule[@]}" --init "$pre" --out "$o/finetune-600" > "$o/finetune-600.log" 2>&1 &
  wait
  log "seed $seed: supervised Transformer resumed to $(( N + 600 )) updates (equal total updates)"
  rm -rf "$o/supervised-total" && mkdir -p "$o/supervised-total"
  cp "$o/finetune-0/checkpoint.safetensors" "$o/supervised-total/"
  ./mp3.sh speech-train --out "$o/supervised-total" --resume --updates $(( N + 600 )) --threads 1 > "$o/supervised-total.log" 2>&1
done
log "done: python3 experiments/summarize_speech.py $out"
