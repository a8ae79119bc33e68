#!/bin/bash
# per-thread CPU ticks of the demo JVM in /tmp/dp/k1 over a window: $1 seconds after start delay $2
while true; do
  pid=$(pgrep -f "dev.mp3.cli.Main demo" | head -1); [ -n "$pid" ] && break; sleep 0.5; done
sleep $2
snap() { for t in /proc/$pid/task/*; do n=$(cat $t/comm); read -r u s <<< "$(awk '{print $14, $15}' $t/stat)"; echo "$(basename $t) $n $((u+s))"; done; }
snap > a.txt; sleep $1; snap > b.txt
join <(sort a.txt) <(sort b.txt) | awk -v d=$1 '{c=$5-$3; if (c>0) {tot+=c; printf "%-20s %5.1f%%\n", $2, c/d}} END {printf "TOTAL %5.1f%%\n", tot/d}'
