#!/usr/bin/env bash
# The OpenCL issue's device benchmarks, ours and PyTorch/CUDA in one command on the same card.
# On a GPU machine with Java, after mvn package: bash bench/gpu-bench.sh. On one without
# (the jars and a runtime packed by bench/gpu-pack.sh):
#   source .device/env.sh && bash bench/gpu-bench.sh
# Elsewhere (a smoke test on a CPU OpenCL runtime): QUICK=1 JAVA=java CP=bench/target/benchmarks.jar bash bench/gpu-bench.sh
set -uo pipefail
out="${OUT:-/tmp/gpu-bench}"
mkdir -p "$out"
java="${JAVA:-java}"
cp="${CP:-${MP3_CP:-bench/target/benchmarks.jar}}"
quick="false"; pyquick=""
if [ "${QUICK:-0}" = 1 ]; then quick="true"; pyquick="--quick"; fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | tee "$out/gpu.txt"
# Signal chaining beside the OpenCL driver (dev.mp3.opencl.SignalChaining): the JDK's libjsig preloaded.
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/lib/libjsig.so"
preload=()
[ -f "$jsig" ] && preload=(env "LD_PRELOAD=$jsig${LD_PRELOAD:+:$LD_PRELOAD}")
"${preload[@]}" "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" dev.mp3.bench.GpuBench \
  --device "${DEVICE:-opencl}" --quick "$quick" 2>&1 | grep -v '^WARNING' | tee "$out/ours.txt"
"${PYTHON:-python3}" bench/pytorch/gpu_reference.py $pyquick 2>&1 | tee "$out/torch.txt"
echo "== ours"; grep -E '^(sgemm|attention|step)' "$out/ours.txt"
echo "== pytorch"; grep -E '^(sgemm|attention|step)' "$out/torch.txt"
