#!/usr/bin/env bash
# 2026-12-01 (morning): the script's queue rearranged. Seeds 0 and 1 finetunings were already running
# (started by the plain script at 03:11); once seed 0's ends, seed 2's finetuning and TC-ResNet8 start
# together through the same script (SEEDS=2: its pretraining is kept, both runs go at once).
cd /work/main
while [ ! -f /work/exp/speech-pt/seed0/finetune-2400/metrics.json ]; do sleep 20; done
DATA=/work/speech SEEDS="2" L=2400 DECAY=1200 SNAPSHOTS=600,1200,1800,2400 experiments/speech-pretrain-length.sh /work/exp/speech-pt
