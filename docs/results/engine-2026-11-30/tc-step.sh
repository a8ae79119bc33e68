#!/usr/bin/env bash
# TC-ResNet8 training step before (bb8eade, /work/wt) and after (HEAD of /work/main), alternating, 150 updates
# of its recipe's batch (100), one thread pinned to core 1 (at 12:32 core 1 was also running a TC-ResNet8 training;
# at 14:18 the machine was otherwise idle); compare the sides within one run.
for round in 1 2; do
  for side in /work/wt /work/main; do
    echo "== round $round $side ($(cd $side && git log --oneline -1 | cut -c1-7)) $(date -u +%H:%M:%S)"
    (cd $side && taskset -c 1 ./mp3.sh speech-train --model tc-resnet8 --data /work/speech --updates 150 --eval-every 1000 \
      --patience 0 --seed 0 --threads 1 --out /tmp/tc-step --force 2>&1 | grep "per update")
  done
done
