#!/bin/bash
# Copies the speech-5400 runs into docs/results/speech-5400 in experiments/speech-longer.sh's layout
# (supervised -> finetune-0, mp3-finetune -> finetune-600, supervised-total; tc-resnet8 and the Table 6
# runs finetune-150 and finetune-300 keep their names), logs without their
# progress-bar lines, and each checkpoint's accuracy by class and voice (speech-eval).
#   collect.sh SEED...     PAIRS="finetune-300:finetune-300" collect.sh SEED...   (only those runs)
set -euo pipefail
SRC=/work/exp/speech-5400
DST=/work/main/docs/results/speech-5400
cd /work/wt-exp
for seed in "$@"; do
  for pair in ${PAIRS:-supervised:finetune-0 mp3-finetune:finetune-600 supervised-total:supervised-total \
              tc-resnet8:tc-resnet8 finetune-300:finetune-300 finetune-150:finetune-150}; do
    from=${pair%%:*}; to=${pair##*:}
    [ -f $SRC/seed$seed/$from/metrics.json ] || { echo "seed $seed: $from not finished, skipped"; continue; }
    mkdir -p $DST/seed$seed/$to
    cp $SRC/seed$seed/$from/{config.json,metrics.json} $DST/seed$seed/$to/
    cp $SRC/seed$seed/$from/*-history.csv $DST/seed$seed/$to/
    tr '\r' '\n' < $SRC/seed$seed/$from.log | grep -v -E '^(speech-train|speech-finetune|tc-resnet8) +[0-9]+/' > $DST/seed$seed/$to.log || true
    ./mp3.sh speech-eval --checkpoint $SRC/seed$seed/$from/checkpoint.safetensors --data /work/speech --threads 1 \
        > $DST/seed$seed/$to/checkpoint.voices.txt 2>/dev/null
    echo "seed $seed: $from -> $to"
  done
done
