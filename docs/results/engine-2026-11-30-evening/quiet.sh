#!/bin/bash
# A quiet window: the six speech training JVMs are stopped (SIGSTOP) for the length of this script
# and continued at its end, whatever happens. Ours before (KC 256: 9c50c59's tensor classes / jar)
# and after (KC 128), one thread (thread CPU time, GBench) and two threads (JMH, wall time), and
# OpenBLAS 0.3.21 COOPERLAKE through numpy, alternating.
PIDS=$(pgrep -f 'speech-5400' -a | grep java | awk '{print $1}')
trap 'kill -CONT $PIDS' EXIT
kill -STOP $PIDS
sleep 3
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
SH=256x256x256,1024x1024x1024,2048x2048x2048,6400x192x576,6400x768x192,6400x192x576:tB,576x6400x192,576x6400x192:tA
echo "=== quiet from $(date -u +%T), load: $(cat /proc/loadavg)"
for r in 1 2; do
  cd /tmp/kb
  echo "--- 1 thread, run $r $(date -u +%T)"
  echo -n "before (KC 256): "; $J --add-modules jdk.incubator.vector -cp out:/work/wt-exp/tensor/target/classes dev.mp3.tensor.cpu.GBench "" 2 2>&1 | grep -v WARN
  echo -n "after (KC 128):  "; $J --add-modules jdk.incubator.vector -cp out:/work/main/tensor/target/classes dev.mp3.tensor.cpu.GBench "" 2 2>&1 | grep -v WARN
  (cd /tmp && env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=COOPERLAKE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 /tmp/kb/np1.py)
  cd /work/main
  echo "--- 2 threads, run $r $(date -u +%T)"
  echo "after (KC 128):"; $J --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar matmul --warmup 1 --iterations 2 --time 1 --shapes $SH 2>&1 | grep '^| [0-9]'
  echo "before (KC 256):"; $J --add-modules jdk.incubator.vector -jar /work/wt-exp/bench/target/benchmarks.jar matmul --warmup 1 --iterations 2 --time 1 --shapes $SH 2>&1 | grep '^| [0-9]'
  echo "OpenBLAS COOPERLAKE 2 threads:"; env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=COOPERLAKE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/scripts/sgemm_numpy.py ${SH//,/ } 2>&1 | grep '^| [0-9]'
done
echo "=== quiet until $(date -u +%T)"
