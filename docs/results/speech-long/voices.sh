#!/usr/bin/env bash
# Accuracy by class and voice of every speech-long checkpoint (speech-eval, commit bb8eade, /work/wt).
set -euo pipefail
cd /work/wt
OUT=/work/exp/speech-long
for ckpt in "$@"; do
  name=$(echo "${ckpt#$OUT/}" | sed 's|/checkpoint.safetensors||; s|speech-sweep-[0-9-]*/||; s|\.safetensors||; s|/|-|g')
  echo "[$(date -u +%H:%M:%S)] $ckpt -> voices/$name.txt"
  mkdir -p "$OUT/voices"
  ./mp3.sh speech-eval --checkpoint "$ckpt" --data /work/speech --threads 1 > "$OUT/voices/$name.txt" 2>/dev/null
done
