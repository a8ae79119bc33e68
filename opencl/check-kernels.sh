#!/usr/bin/env bash
# Compiles every kernel family as OpenCL C 1.2 for NVIDIA's PTX target with clang (no GPU needed)
# and reports errors, warnings and per-work-item stack memory (".local depot": private arrays the
# compiler could not keep in registers). A portability check beyond PoCL, which the tests use.
# Usage: opencl/check-kernels.sh [clang]   (default clang-15, else clang)
set -euo pipefail
CLANG=${1:-$(command -v clang-15 || command -v clang)}
DIR=$(cd "$(dirname "$0")/src/main/resources/dev/mp3/opencl" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
status=0
check() {  # family, defines...
  local family=$1; shift
  cat "$DIR/common.cl" "$DIR/$family.cl" > "$TMP/$family.cl"
  if ! "$CLANG" -x cl -cl-std=CL1.2 -target nvptx64-nvidia-nvcl -Xclang -finclude-default-header -O3 -Wall -Wextra \
      "$@" -S -o "$TMP/$family.ptx" "$TMP/$family.cl" 2> "$TMP/log"; then
    echo "$family $*: FAILED"; cat "$TMP/log"; status=1; return
  fi
  local warnings stack
  warnings=$(grep -c 'warning:' "$TMP/log" || true)
  stack=$(grep -o '__local_depot[0-9]*\[[0-9]*\]' "$TMP/$family.ptx" | sed 's/.*\[\(.*\)\]/\1/' | paste -sd+ - || true)
  echo "$family $*: ok, $warnings warnings, stack bytes per kernel: ${stack:-none}"
  grep 'warning:' "$TMP/log" || true
}
check elementwise
check elementwise -DHAS_FP64
check reduce
check rows
check index
check conv
for cfg in "16 16 8 2 2 1" "32 32 16 4 4 4" "64 64 16 4 4 4" "128 128 16 8 8 4"; do
  set -- $cfg
  check gemm -DTM=$1 -DTN=$2 -DTK=$3 -DWM=$4 -DWN=$5 -DVW=$6
done
for d in 8 64; do check attention -DHEAD_DIM=$d -DTILE=32; done
exit $status
