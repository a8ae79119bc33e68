#!/usr/bin/env bash
# Everything the GPU checks need, in one command on the GPU machine (a lent machine's time is short):
#   bash bench/gpu-pack.sh                       # here, after mvn install -DskipTests
#   source .device/env.sh && bash bench/gpu-all.sh   # there; logs in $OUT (default /tmp/gpu-all)
# 1. gpu-bench.sh: SGEMM, attention and ViT-S steps, ours and PyTorch/CUDA on the same card (the
#    SGEMM tuned on first use, up to 60 s, unless -Dmp3.opencl.autotune=false is in JAVA_TOOL_OPTIONS);
# 2. AttentionPathBench: the tiled and staged attention kernels on the models' shapes;
# 3. gpu-tests.sh: the OpenCL test suite on the device.
# QUICK=1 shrinks 1 and 2 (a smoke test on PoCL). Each part has its own time limit, so the logs of
# the others come back when one hangs.
set -uo pipefail
cd "$(dirname "$0")/.."
export OUT="${OUT:-/tmp/gpu-all}"
mkdir -p "$OUT"
java="${JAVA:-java}"
cp="${CP:-${MP3_CP:-bench/target/benchmarks.jar}}"
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/lib/libjsig.so"
preload=()
[ -f "$jsig" ] && preload=(env "LD_PRELOAD=$jsig${LD_PRELOAD:+:$LD_PRELOAD}")
shapes=256:6:65:65:64,256:6:65:16:64,256:3:50:50:64,64:12:197:49:64,64:12:197:197:64
reps=10
if [ "${QUICK:-0}" = 1 ]; then shapes=4:2:17:17:16,4:2:17:4:16; reps=2; fi

echo "== gpu-bench $(date -u)"
timeout "${BENCH_TIMEOUT:-300}" bash bench/gpu-bench.sh > "$OUT/bench.txt" 2>&1
echo "gpu-bench exit code $?"
tail -32 "$OUT/bench.txt"

echo "== AttentionPathBench $(date -u)"
"${preload[@]}" timeout "${ATTENTION_TIMEOUT:-120}" "$java" --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -cp "$cp" dev.mp3.bench.AttentionPathBench --reps "$reps" --shapes "$shapes" \
  2>&1 | grep -v '^WARNING' | tee "$OUT/attention-paths.txt"

echo "== gpu-tests $(date -u)"
TEST_TIMEOUT="${TEST_TIMEOUT:-180}" bash bench/gpu-tests.sh
rc=$?
cp "${XDG_CACHE_HOME:-$HOME/.cache}/mp3/opencl-tuning.json" "$OUT/" 2>/dev/null
echo "== end $(date -u)"
exit "$rc"
