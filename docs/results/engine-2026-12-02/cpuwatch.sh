#!/bin/bash
# samples total CPU ticks of the demo's java process every ~0.5 s, with precise timestamps
out=$1; shift
"$@" > $out.log 2>&1 &
P=$!
while kill -0 $P 2>/dev/null; do
  j=$(pgrep -f "temurin-25.*mp3" | head -1)
  if [ -n "$j" ] && [ -r /proc/$j/stat ]; then
    echo "$(date +%s.%N) $(awk '{print $14+$15}' /proc/$j/stat) $(wc -l < $out.log)" >> $out.cpu
  fi
  sleep 0.5
done
