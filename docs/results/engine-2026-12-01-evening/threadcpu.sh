#!/bin/bash
# Runs a command (a JVM) and polls its threads' CPU time every second; prints the last totals by thread name.
"$@" > /tmp/r2/threadcpu.out 2>&1 &
P=$!
sleep 1
J=$(pgrep -P $P -f java | head -1); [ -z "$J" ] && J=$(pgrep -f "java.*dev.mp3" | head -1)
declare -A last
start=$(date +%s.%N)
while kill -0 $P 2>/dev/null; do
  J=$(pgrep -f "java.*dev.mp3.cli" | head -1)
  if [ -n "$J" ]; then
    snap=$(for t in /proc/$J/task/*; do echo "$(tr ' ' _ < $t/comm) $(awk '{print $14+$15}' $t/stat 2>/dev/null)"; done 2>/dev/null | awk '{a[$1]+=$2} END{for(k in a) print k, a[k]}')
    [ -n "$snap" ] && echo "$snap" > /tmp/r2/threadcpu.last
  fi
  sleep 1
done
end=$(date +%s.%N)
echo "wall $(echo "$end - $start" | bc) s"
sort -k2 -rn /tmp/r2/threadcpu.last | awk '{printf "%-18s %8.1f s\n", $1, $2/100}'
