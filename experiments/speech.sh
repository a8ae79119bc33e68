#!/usr/bin/env bash
# The README's speech comparison (paper Section 4.3, Tables 5 and 6) on the synthetic keyword set:
#   - supervised speech Transformer, N updates
#   - MP3 pretraining (P updates, position embedding on 5% of the frames) + finetuning, N updates:
#     EQUAL LABELLED UPDATES with the supervised run
#   - supervised speech Transformer, P + N updates: EQUAL TOTAL UPDATES with MP3 (the first
#     run extended by P updates, which gives the bits of a (P + N)-update run from scratch)
#   - TC-ResNet8 with its authors' recipe (SGD, momentum 0.9, weight decay 1e-3, lr 0.1 divided by
#     10 at a third and two thirds of the run), N updates
# every run with the same batch size and the same clips, for several seeds; and, for the first seed,
# Table 6: finetuning after P/4, P/2 and P pretraining updates (with position top-1/top-5); then
# each final model's test accuracy per voice (speech-eval).
# The Transformers' schedule is the paper's scaled to N: warm-up N/60 updates at 1e-4, then 1e-3
# halved every N/3 updates (paper: 500 and 10k of 30k).
#
# Usage: experiments/speech.sh [OUT_DIR]
#   DATA=DIR (default ~/.cache/mp3/speech-full; made with make-speech-data's defaults if missing)
#   SEEDS="0 1 2"  N=900  P=900  BATCH=64  EVAL=75
#   TABLE6_SEED=S  the seed that also runs Table 6's pretraining lengths (default: the first of SEEDS;
#                  one not in SEEDS skips it, so two halves of the seeds can run side by side)
#   THREADS=T      CPU threads per run (default: all cores); e.g. two invocations with THREADS=1 on a
#                  2-core machine, which train these small models faster than one invocation on 2 threads
# Then: python3 experiments/summarize_speech.py OUT_DIR   (the mean +- std tables)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/speech}"
DATA="${DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/mp3/speech-full}"
SEEDS="${SEEDS:-0 1 2}"
N="${N:-900}"
P="${P:-900}"
BATCH="${BATCH:-64}"
EVAL="${EVAL:-75}"
THREADS="${THREADS:-}"
threads=()
[ -n "$THREADS" ] && threads=(--threads "$THREADS")
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

if [ ! -f "$DATA/testing_list.txt" ]; then
  log "making the synthetic keyword set in $DATA (26,000 clips; about 4 minutes on 2 cores)"
  ./mp3.sh make-speech-data "$DATA"
fi
warmup=$(( N / 60 ))
third=$(( N / 3 ))
mkdir -p "$out"
cat > "$out/budget.txt" <<INFO
data=$DATA seeds=$SEEDS batch=$BATCH validation every $EVAL updates, no early stopping (each run keeps its best validation's weights)
supervised Transformer: $N updates; warm-up $warmup at 1e-4, then 1e-3 halved every $third
MP3: pretraining $P updates (same schedule, 5% of frames with position) + finetuning $N updates
supervised Transformer, equal total updates: $(( P + N )) updates (same schedule)
TC-ResNet8: $N updates, SGD momentum 0.9, weight decay 1e-3, lr 0.1 / 0.01 / 0.001 from updates 0 / $third / $(( 2 * third )),
  batch-norm momentum 1 - 0.997^(30000 / $N) (the authors' 0.003 at 30k updates, scaled to the run's length)
INFO
cat "$out/budget.txt"

first="${TABLE6_SEED:-$(echo "$SEEDS" | awk '{print $1}')}"
for seed in $SEEDS; do
  schedule=(--data "$DATA" --batch "$BATCH" --warmup-updates "$warmup" --decay-every "$third" --eval-every "$EVAL"
            --patience 0 --seed "$seed" "${threads[@]}")
  lengths="0,$P"
  [ "$seed" = "$first" ] && lengths="0,$(( P / 4 )),$(( P / 2 )),$P"
  log "seed $seed: supervised Transformer and MP3 (pretraining snapshots at $lengths), $N finetuning updates each"
  ./mp3.sh speech-sweep "${schedule[@]}" --updates "$N" --pretrain-updates "$lengths" --out "$out/seed$seed"
  log "seed $seed: supervised Transformer, $(( P + N )) updates (equal total updates)"
  sup=$(ls "$out/seed$seed"/speech-sweep-*/finetune-0.safetensors 2>/dev/null | tail -1 || true)
  if [ -n "$sup" ] && [ $(( N % EVAL )) = 0 ]; then
    # The supervised run of the sweep carried on for P more updates: the same bits as a (P + N)-update
    # run from scratch (speech-train --resume with a larger --updates), at a fraction of the cost.
    rm -rf "$out/seed$seed/supervised-total" && mkdir -p "$out/seed$seed/supervised-total"
    cp "$sup" "$out/seed$seed/supervised-total/checkpoint.safetensors"
    ./mp3.sh speech-train --out "$out/seed$seed/supervised-total" --resume --updates $(( P + N )) "${threads[@]}"
  else
    ./mp3.sh speech-train "${schedule[@]}" --updates $(( P + N )) --out "$out/seed$seed/supervised-total" --force
  fi
  log "seed $seed: TC-ResNet8, $N updates"
  ./mp3.sh speech-train --model tc-resnet8 --data "$DATA" --batch "$BATCH" --updates "$N" --decay-every "$third" \
    --eval-every "$EVAL" --patience 0 --seed "$seed" "${threads[@]}" --out "$out/seed$seed/tc-resnet8" --force
done
# Accuracy per voice of the test clips (speech-eval; the checkpoints the runs left behind).
for seed in $SEEDS; do
  for ckpt in "$out/seed$seed"/speech-sweep-*/finetune-*.safetensors "$out/seed$seed/supervised-total/checkpoint.safetensors" \
              "$out/seed$seed/tc-resnet8/checkpoint.safetensors"; do
    if [ -f "$ckpt" ]; then
      log "per voice: $ckpt"
      ./mp3.sh speech-eval --checkpoint "$ckpt" --data "$DATA" "${threads[@]}" > "${ckpt%.safetensors}.voices.txt"
    fi
  done
done
log "done: python3 experiments/summarize_speech.py $out"
