#!/usr/bin/env bash
# Issue #15: Tables 5 and 6 with pretraining long enough for MP3's position accuracy to level off.
# experiments/speech-longer.sh finetuned from at most 600 pretraining updates of 64 clips, where the
# position loss was still falling; here, for each seed:
#   - one MP3 pretraining run of L updates of 64 clips (warm-up 30 at 1e-4, then 1e-3 halved every
#     DECAY updates, validation position top-1 every 300), keeping the weights at every length in
#     SNAPSHOTS (speech-pretrain --snapshots; the first 600 updates are those of speech-longer.sh's
#     600-update snapshot: the same warm-up and learning rate);
#   - MP3 finetuning from each snapshot in FINETUNE at 5,400 labelled updates, speech-longer.sh's
#     schedule (warm-up 90 at 1e-4, 1e-3 halved every 1,800, validation every 300, no early stopping);
#   - TC-ResNet8 at 5,400 + L updates (EQUAL TOTAL UPDATES with MP3 at L), its authors' SGD recipe
#     scaled to that length.
# The supervised Transformer at 5,400 updates is speech-longer.sh's (docs/results/speech-5400).
#
#   DATA=/work/speech SEEDS="0 1 2" L=2400 experiments/speech-pretrain-length.sh /work/exp/speech-pt
#   python3 experiments/summarize_speech.py docs/results/speech-5400 /work/exp/speech-pt
#
# Runs go two at a time (one thread each, one per core of a 2-core machine), pretraining first; a
# finetuning run waits for its seed's snapshot. Rerun the same command to finish a stopped
# invocation: finished runs are kept, interrupted ones resumed (each continues bit for bit). Layout (summarize_speech.py reads it):
# seedS/pretrain (speech-pretrain, with pretrain-P.safetensors), seedS/finetune-P, seedS/tc-resnet8-total.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: experiments/speech-pretrain-length.sh OUT}"
DATA="${DATA:-$HOME/.cache/mp3/speech-commands-synthetic}"
SEEDS="${SEEDS:-0 1 2}"
L="${L:-2400}"
DECAY="${DECAY:-1200}"
SNAPSHOTS="${SNAPSHOTS:-600,1200,$L}"
FINETUNE="${FINETUNE:-$L}"
N="${N:-5400}"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
two_at_a_time() { # runs "$@" in the background once fewer than two runs are going
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
  "$@" &
}
[ -f "$DATA/testing_list.txt" ] || { echo "speech-pretrain-length: no finished keyword set in $DATA (./mp3.sh make-speech-data $DATA)" >&2; exit 1; }
mkdir -p "$out"
cat > "$out/budget.txt" <<INFO
data=$DATA seeds=$SEEDS batch=64, one thread per run, two runs at a time
MP3 pretraining: $L updates, warm-up 30 at 1e-4, then 1e-3 halved every $DECAY, validation every 300; snapshots at $SNAPSHOTS
MP3 finetuning from the snapshots at $FINETUNE: $N updates, warm-up $(( N / 60 )) at 1e-4, then 1e-3 halved every $(( N / 3 )), validation every 300, no early stopping
TC-ResNet8, equal total updates: $(( N + L )) updates, SGD momentum 0.9, weight decay 1e-3, lr 0.1 / 0.01 / 0.001 from updates 0 / $(( (N + L) / 3 )) / $(( 2 * ((N + L) / 3) ))
INFO
cat "$out/budget.txt"

# Runs the mp3.sh command "$@" whose --out is $1's folder, logging to $1.log: a finished run (its
# metrics.json written) is left alone, an interrupted one (a checkpoint, no metrics.json) resumed
# with --resume, so rerunning this script finishes what a stopped invocation left.
run_in() { # DIR COMMAND [OPTIONS...]
  local dir="$1"; shift
  if [ -f "$dir/metrics.json" ]; then
    log "$dir: finished earlier, kept"
    return 0
  fi
  local resume=()
  [ -f "$dir/checkpoint.safetensors" ] && resume=(--resume)
  ./mp3.sh "$@" --out "$dir" "${resume[@]}" >> "$dir.log" 2>&1
}
pretrain() { # SEED
  run_in "$out/seed$1/pretrain" speech-pretrain --data "$DATA" --batch 64 --warmup-updates 30 --decay-every "$DECAY" \
    --eval-every 300 --patience 0 --seed "$1" --threads 1 --updates "$L" --snapshots "$SNAPSHOTS"
}
finetune() { # SEED P: waits for the snapshot (written once the pretraining passes update P)
  local snap="$out/seed$1/pretrain/pretrain-$2.safetensors"
  while [ ! -f "$snap" ]; do
    grep -q "^error" "$out/seed$1/pretrain.log" 2>/dev/null && { echo "seed $1: pretraining failed" >&2; return 1; }
    sleep 30
  done
  run_in "$out/seed$1/finetune-$2" speech-finetune --data "$DATA" --batch 64 --warmup-updates $(( N / 60 )) \
    --decay-every $(( N / 3 )) --eval-every 300 --patience 0 --seed "$1" --threads 1 --updates "$N" --init "$snap"
}
tc_total() { # SEED
  local n=$(( N + L ))
  run_in "$out/seed$1/tc-resnet8-total" speech-train --model tc-resnet8 --data "$DATA" --batch 64 --updates "$n" \
    --decay-every $(( n / 3 )) --eval-every 300 --patience 0 --seed "$1" --threads 1
}
for seed in $SEEDS; do mkdir -p "$out/seed$seed"; done
./mp3.sh --help > /dev/null   # builds the jars now if sources changed, not in two runs at once
log "pretraining ($L updates) for seeds $SEEDS"
for seed in $SEEDS; do two_at_a_time pretrain "$seed"; done
for seed in $SEEDS; do
  for p in ${FINETUNE//,/ }; do
    log "seed $seed: finetuning from $p pretraining updates, $N updates (queued)"
    two_at_a_time finetune "$seed" "$p"
  done
done
for seed in $SEEDS; do
  log "seed $seed: TC-ResNet8, $(( N + L )) updates (queued)"
  two_at_a_time tc_total "$seed"
done
wait
for seed in $SEEDS; do   # test accuracy per class and voice of each final model
  for ckpt in "$out/seed$seed"/finetune-*/checkpoint.safetensors "$out/seed$seed/tc-resnet8-total/checkpoint.safetensors"; do
    if [ -f "$ckpt" ]; then
      ./mp3.sh speech-eval --checkpoint "$ckpt" --data "$DATA" --threads 2 > "${ckpt%.safetensors}.voices.txt"
    fi
  done
done
log "done: python3 experiments/summarize_speech.py $out (with docs/results/speech-5400 for the supervised runs)"
