#!/bin/bash
# Replaces run4.sh. Seed 1's two runs were stopped (SIGSTOP, pids in seed1.pids) at about update
# 900 at 15:17 so that seed 0 finishes first at full speed. Once seed 0's two runs are done: seed 0's
# equal-total control (supervised resumed to 6,000 updates) and seed 1 continued (SIGCONT); then
# seed 1's equal-total control once its runs are done.
cd /work/wt-exp
while pgrep -f 'speech-5400/seed0/(supervised|mp3-finetune)( |$)' > /dev/null; do sleep 20; done
total() {
  O=/work/exp/speech-5400/seed$1
  rm -rf $O/supervised-total && mkdir -p $O/supervised-total
  cp $O/supervised/checkpoint.safetensors $O/supervised-total/checkpoint.safetensors
  echo "[$(date -u +%T)] seed $1: equal total updates"
  ./mp3.sh speech-train --out $O/supervised-total --resume --updates 6000 --threads 1 > $O/supervised-total.log 2>&1
  echo "[$(date -u +%T)] seed $1: done"
}
total 0 &
echo "[$(date -u +%T)] seed 1 continued"
kill -CONT $(cat /work/exp/speech-5400/seed1.pids)
while pgrep -f 'speech-5400/seed1/(supervised|mp3-finetune)( |$)' > /dev/null; do sleep 20; done
total 1
wait
echo "[$(date -u +%T)] all done"
