#!/bin/bash
# Convergence check for issue #15: seed 0's supervised Transformer and MP3 finetuning at 3x the
# 1,800-update budget (5,400 labelled updates of 64, warm-up 90, lr 1e-3 halved every 1,800,
# validation every 300), the MP3 run finetuned from the same 600-update pretraining snapshot as
# the 1,800-update comparison. Two one-thread runs side by side.
cd /work/wt-exp
S=(--data /work/speech --batch 64 --warmup-updates 90 --decay-every 1800 --eval-every 300 --patience 0 --seed 0 --threads 1 --updates 5400)
O=/work/exp/speech-5400/seed0
PRE=/work/exp/speech-long/seed0/speech-sweep-20261130-092300/pretrain-600.safetensors
echo "[$(date -u +%T)] start at $(git rev-parse --short HEAD)"
./mp3.sh speech-train "${S[@]}" --out $O/supervised > $O/supervised.log 2>&1 &
./mp3.sh speech-finetune "${S[@]}" --init $PRE --out $O/mp3-finetune > $O/mp3-finetune.log 2>&1 &
wait
echo "[$(date -u +%T)] done"
