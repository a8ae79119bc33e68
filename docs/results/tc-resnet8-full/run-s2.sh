#!/usr/bin/env bash
# 13:19 UTC: TC-ResNet8 full recipe seed 2 started now as a third process (not pinned) instead of after
# seed 2's Table 6 sweep (plan2.sh A's bash was stopped; its sweep ran on), so that all runs end together.
set -euo pipefail
cd /work/wt3
echo "[$(date -u +%H:%M:%S)] TC-ResNet8 full recipe, seed 2"
./mp3.sh speech-train --model tc-resnet8 --data /work/speech --patience 0 --seed 2 --threads 1 --out /work/exp/tc-full/seed2 --force
echo "[$(date -u +%H:%M:%S)] done"
