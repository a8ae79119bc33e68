#!/usr/bin/env bash
# Builds the benchmark jar and runs the JMH benchmarks, printing GFLOP/s and GB/s tables.
#
#   bench/jmh.sh                       # everything: matmul and kernels (about 30 minutes)
#   bench/jmh.sh matmul                # SGEMM, ours vs EJML
#   bench/jmh.sh kernels               # softmax, layer norm, add, GELU, ours vs scalar Java
#   bench/jmh.sh matmul --shapes 1024x1024x1024,6400x192x576:tB --forks 2
#
# Options go to dev.mp3.bench.BenchMain: --forks N (default 1), --warmup N (5), --iterations N (5),
# --time SECONDS per iteration (2), --shapes MxKxN[:tA|:tB],...
# Output: the JMH log, then the tables; the whole output is also kept in bench/target/jmh-<what>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
what=all
if [[ $# -gt 0 && $1 != --* ]]; then
    what=$1
    shift
fi
mvn -q -pl bench -am package -DskipTests
# Signal chaining for the OpenCL benchmarks (dev.mp3.opencl.SignalChaining).
[ -f "$JAVA_HOME/lib/libjsig.so" ] && export LD_PRELOAD="$JAVA_HOME/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar "$what" "$@" 2>&1 \
    | grep -v '^WARNING: Using incubator modules' | tee "bench/target/jmh-$what.log"
