#!/bin/bash
# The shortened demo (1 pretraining epoch, 3 finetuning epochs) of several builds, alternating, under
# /usr/bin/time: wall seconds, CPU %, peak RSS. args: rounds, then label=checkout[=MP3_JAVA_OPTS] ...
# Each checkout's launcher has built its jars beforehand (./mp3.sh --help).
R=$1; shift
for r in $(seq $R); do
  for spec in "$@"; do
    IFS='=' read -r label dir opts <<< "$spec"
    ( cd $dir && MP3_JAVA_OPTS="$opts" /usr/bin/time -f "%e s %P %M KB" ./mp3.sh demo --pretrain-epochs 1 --finetune-epochs 3 --out /tmp/sd/$label-$r > /tmp/sd/$label-$r.log 2>&1 )
    echo "$label round $r $(date -u +%T): $(tail -1 /tmp/sd/$label-$r.log); table: $(grep -E '^(MP3|supervised) +[0-9]+ +(abs|none) ' /tmp/sd/$label-$r.log | awk '{print $NF}' | tr '\n' ' ')"
  done
done
