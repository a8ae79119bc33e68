#!/bin/bash
# Seed 2's Table 6 run at 5,400 finetuning updates (MP3 from its 300-update pretraining snapshot),
# put back after run7.sh's queue dropped it: the host sped up to ~0.5 s per update, so it can end in
# this session. Two threads (the same bits as one: the engine is deterministic across thread
# counts), started beside run7.sh's two runs. Commit 9f7daff (/work/wt-exp).
cd /work/wt-exp
S=(--data /work/speech --batch 64 --warmup-updates 90 --decay-every 1800 --eval-every 300 --patience 0 --updates 5400)
PRE=$(ls /work/exp/speech-long/seed2/table6/speech-sweep-*/pretrain-300.safetensors | tail -1)
echo "[$(date -u +%T)] seed 2: MP3 finetuning from $PRE, 5400 updates, 2 threads"
./mp3.sh speech-finetune "${S[@]}" --seed 2 --threads 2 --init $PRE --out /work/exp/speech-5400/seed2/finetune-300 --force \
  > /work/exp/speech-5400/seed2/finetune-300.log 2>&1
echo "[$(date -u +%T)] done"
