#!/usr/bin/env bash
# Data parallelism on Open MPI, measured (BENCHMARKS.md, "Data parallelism on Open MPI"):
#  1. all-reduce time per call, 1 K to 64 M floats, through this project's Java bindings and through
#     the same MPI_Allreduce called from C (bench/mpi/allreduce.c), alternating, ROUNDS times each;
#     the best of each side and their ratio; and the cost of one call without communication
#     (MPI_Comm_rank) from C and through the bindings;
#  2. the fmnist ViT's update time at a global batch of 128 in one process and in 2 ranks, with the
#     gradient sums overlapped with backward and after it, and the time waited for them: ROUNDS
#     rounds of the six runs in turn, mean +- std.
#
#   bench/mpi-bench.sh [RANKS] [MIN_SECONDS]      (defaults 2 and 0.5; ROUNDS=3 in the environment)
# Needs openmpi-bin and libopenmpi-dev (mpicc). Keep the machine otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
ranks="${1:-2}"
min_seconds="${2:-0.5}"
rounds="${ROUNDS:-3}"
command -v mpicc >/dev/null || { echo "mpi-bench: mpicc not found; apt-get install libopenmpi-dev" >&2; exit 1; }
mpirun=(mpirun -np "$ranks" --oversubscribe)
[ "$(id -u)" -eq 0 ] && mpirun+=(--allow-run-as-root)
out=bench/target/mpi
mkdir -p "$out"
mvn -q -o -pl bench -am package -DskipTests 2>/dev/null || mvn -q -pl bench -am package -DskipTests
mpicc -O2 -o "$out/allreduce" bench/mpi/allreduce.c
java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms1200m -Xmx1200m
      -XX:+UseG1GC -cp bench/target/benchmarks.jar)

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(mpirun --version | head -1)"
for round in $(seq "$rounds"); do
  "${mpirun[@]}" "$out/allreduce" "$min_seconds" > "$out/c-$round.txt"
  "${mpirun[@]}" "${java[@]}" dev.mp3.bench.AllreduceBench "$min_seconds" 2>/dev/null \
    | grep -E '^([0-9]+|call) [0-9.]+$' > "$out/java-$round.txt"
done
echo
echo "## All-reduce (sum of floats, in place), $ranks ranks: best of $rounds runs each, alternating"
echo
python3 - "$out" "$rounds" <<'PY'
import sys, os
d, rounds = sys.argv[1], int(sys.argv[2])
def best(prefix):
    t = {}
    for r in range(1, rounds + 1):
        for line in open(os.path.join(d, f"{prefix}-{r}.txt")):
            n, s = line.split()
            key = n if n == "call" else int(n)
            t[key] = min(t.get(key, 1e9), float(s))
    return t
c, j = best("c"), best("java")
cc, jc = c.pop("call"), j.pop("call")
print("| floats | bytes | C (us/call) | Java FFM (us/call) | Java / C | C GB/s (alg) |")
print("|---:|---:|---:|---:|---:|---:|")
for n in sorted(c):
    size = 4 * n
    human = f"{size // 1024} KiB" if size < 1 << 20 else f"{size // (1 << 20)} MiB"
    print(f"| {n:,} | {human} | {c[n]*1e6:,.1f} | {j[n]*1e6:,.1f} | {j[n]/c[n]:.3f} | {size / c[n] / 1e9:.2f} |")
print()
print(f"One call without communication (MPI_Comm_rank): C {cc*1e9:.1f} ns, Java bindings {jc*1e9:.1f} ns"
      f" (+{(jc-cc)*1e9:.1f} ns a call)")
PY

echo
echo "## fmnist ViT update, global batch 128"
echo
for round in $(seq "$rounds"); do
  for task in pretrain supervised; do
    "${java[@]}" dev.mp3.bench.DataParallelBench --task "$task" 2>/dev/null | grep "^$task"
    for overlap in true false; do
      "${mpirun[@]}" "${java[@]}" dev.mp3.bench.DataParallelBench --task "$task" --overlap "$overlap" 2>/dev/null \
        | grep "^$task"
    done
  done
done | tee "$out/steps.txt"
echo
python3 - "$out/steps.txt" <<'PY'
import sys, statistics, re
runs = {}
for line in open(sys.argv[1]):
    f = dict(kv.split("=") for kv in line.split()[1:])
    key = (line.split()[0], int(f["ranks"]), f["overlap"])
    runs.setdefault(key, []).append((float(f["step_s"]), float(f["exposed_s"])))
def ms(v):
    return f"{1e3*statistics.mean(v):.0f} ± {1e3*statistics.stdev(v):.0f}" if len(v) > 1 else f"{1e3*v[0]:.0f}"
print("| task | processes | gradient sums | update, ms (mean ± std) | waited for the sums, ms | vs 1 process |")
print("|---|---:|---|---:|---:|---:|")
for (task, ranks, overlap), v in runs.items():
    steps = [s for s, _ in v]
    one = statistics.mean(s for s, _ in runs[(task, 1, "-")])
    how = {"-": "none", "true": "during backward", "false": "after backward"}[overlap]
    waited = ms([e for _, e in v]) if ranks > 1 else "-"
    print(f"| {task} | {ranks} | {how} | {ms(steps)} | {waited} | {statistics.mean(steps)/one:.2f} |")
PY
