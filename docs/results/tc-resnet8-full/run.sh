#!/usr/bin/env bash
# TC-ResNet8 with its authors' full recipe (SpeechRecipe.tcResNet: 30k updates of 100 clips, SGD
# momentum 0.9, weight decay 1e-3, lr 0.1 / 0.01 / 0.001 from updates 0 / 10k / 20k, batch-norm
# momentum 0.003), no early stopping (the best validation's weights are kept), validation every 500
# updates, one thread pinned to core 1. Commit 072c367 (/work/wt2).
set -euo pipefail
cd /work/wt2
echo "[$(date -u +%H:%M:%S)] TC-ResNet8 full recipe, seed $1"
taskset -c 1 ./mp3.sh speech-train --model tc-resnet8 --data /work/speech --patience 0 --seed "$1" --threads 1 \
  --out /work/exp/tc-full/seed$1 --force
echo "[$(date -u +%H:%M:%S)] done"
