#!/bin/bash
# Samples, every 5 s, the CPU ticks (utime + stime, 1/100 s) of every thread of the newest java
# process, by thread name, until it exits. Output: one line per sample: epoch, then name=ticks ...
out=$1
while ! pid=$(pgrep -n java); do sleep 1; done
echo "pid $pid $(tr '\0' ' ' < /proc/$pid/cmdline | cut -c1-300)" > $out
while [ -d /proc/$pid ]; do
  line="$(date +%s)"
  for t in /proc/$pid/task/*; do
    [ -r $t/stat ] || continue
    s=$(cat $t/stat 2>/dev/null) || continue
    name=$(cat $t/comm 2>/dev/null | tr ' ' '_')
    rest=${s##*) }
    set -- $rest
    line="$line $name=$(( ${12} + ${13} ))"
  done
  echo "$line" >> $out
  sleep 5
done
