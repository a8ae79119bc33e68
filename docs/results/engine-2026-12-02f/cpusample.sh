#!/bin/bash
# waits for the 'end' demo JVM (cwd /tmp/dp/k1), then logs its CPU% per second with the demo log's last line
while true; do
  pid=$(pgrep -f "dev.mp3.cli.Main demo" | while read p; do [ "$(readlink /proc/$p/cwd)" = /tmp/dp/k1 ] && echo $p; done | head -1)
  [ -n "$pid" ] && break; sleep 0.5
done
tck=$(getconf CLK_TCK); prev=0; t0=$(date +%s.%N)
while [ -d /proc/$pid ]; do
  read -r u s <<< "$(awk '{print $14, $15}' /proc/$pid/stat 2>/dev/null)"; [ -z "$u" ] && break
  cur=$((u + s)); now=$(date +%s.%N)
  last=$(tr '\r' '\n' < /tmp/dp/run2/end.log 2>/dev/null | grep -a . | tail -1 | cut -c1-60)
  printf "%.1f %d%% %s\n" "$(echo "$now - $t0" | bc)" $(( (cur - prev) * 100 / tck )) "$last"
  prev=$cur; sleep 1
done
