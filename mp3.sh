#!/usr/bin/env bash
# The project launcher: finds a JDK 25, builds the jars when they are missing or older than the
# sources, then runs the CLI (`./mp3.sh --help`). `./mp3.sh test` runs the whole test suite instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

java_major() {  # the major version of the given java binary, or 0
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  echo "${v:-0}"
}

find_jdk() {
  local candidates=() home
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* \
              /usr/lib/jvm/jdk-2[5-9]* /usr/lib/jvm/*-2[5-9]-* /opt/java/openjdk /opt/jdk-2[5-9]* \
              "$HOME"/.sdkman/candidates/java/2[5-9]*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] && [ "$(java_major "$home/bin/java")" -ge 25 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME="$(find_jdk)"; then
  echo "mp3.sh: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm, /opt and the java on PATH)." >&2
  echo "        Install one (e.g. Temurin 25 from https://adoptium.net) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME

if ! command -v mvn >/dev/null 2>&1; then
  echo "mp3.sh: Maven (mvn) is needed to build; install it (e.g. 'apt-get install maven')." >&2
  exit 1
fi

# Build in the repository; run the command where it was called from, so relative paths (--out,
# --data, --checkpoint) mean what the user typed.
caller="$PWD"
cd "$root"
if [ "${1:-}" = "test" ]; then
  shift
  exec mvn -B -ntp test "$@"
fi

classpath_file="$root/mp3/target/classpath.txt"
# Under mpirun every rank runs this script at once: one builds, the others wait for it.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/mp3-build-$(printf '%s' "$root" | cksum | cut -d' ' -f1).lock"
  flock 9
fi
if [ ! -f "$classpath_file" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \
     \( -path '*/src/main/*' -o -name pom.xml \) -newer "$classpath_file" -print -quit)" ]; then
  echo "mp3.sh: building (first run, or sources changed)..." >&2
  log="$(mktemp)"
  # Only the launcher's modules (mp3 and what it depends on; not bench), tests not compiled: 17 s
  # instead of 30 s on 2 cores. './mp3.sh test' and plain mvn compile the tests when they run them.
  if ! mvn -B -ntp -Dmaven.test.skip=true -pl mp3 -am package >"$log" 2>&1; then
    grep -E 'ERROR|FAIL' "$log" | head -40 >&2
    echo "mp3.sh: the build failed; full log: $log" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$classpath_file"
fi
exec 9>&-

# Progress bars redraw in place only when standard error is a terminal; in a log they print lines.
if [ -t 2 ]; then progress=terminal; else progress=lines; fi

# The JVM announces the incubating Vector API on its first line of standard error; that line is
# noise for a user. Drop it and pass everything after it through unbuffered (cat), so a progress
# bar's in-place redraws (which end in a carriage return, not a newline) show as they happen.
drop_incubator_warning() {
  local first ended
  IFS= read -r first; ended=$?
  if [ "$first" != "WARNING: Using incubator modules: jdk.incubator.vector" ]; then
    printf '%s' "$first"
    [ "$ended" -ne 0 ] || printf '\n'
  fi
  cat
}

# Memory (BENCHMARKS.md, "Input pipeline and memory"). Left alone, the JVM takes a quarter of RAM
# for its heap (6 GB on a 24 GB machine) and fills all of it, since a training step allocates
# gigabytes of short-lived activations. What the commands need at the end of a forward pass, from
# -Xlog:gc: the demo's MP3 pretraining (batch 128) about 0.7 GB live, its finetuning (batch 64) and
# the speech demo (batch 32, its clips in memory) under 0.4 GB; train and finetune at their default
# batch of 128 about 0.9 GB (they ran out of memory at 800 MB and collected often at 1000 MB). A
# 1200 MB heap runs all of them at their default model and batch and keeps the demo's process near
# 1.35 GB resident; a larger --model preset or --batch needs more, e.g. MP3_JAVA_OPTS=-Xmx8g (an
# -Xmx or -Xms there replaces both of these; the paper's recipes get more by default, below).
# -Xms equal to -Xmx: a G1 heap free to shrink gave memory back and faulted it in again, with three
# times the page faults and system time.
# G1, not the parallel collector: activations are large float arrays, which G1 places in "humongous"
# regions, never copies, and frees at the next young pause once dead. The parallel collector copied
# every array alive in the forward pass through its survivor spaces into the old generation and
# needed full collections to reclaim them: 11-19 % of the pretraining step's time in GC pauses with
# the 6 GB default heap, 16-23 % at 1-1.2 GB, against 1-2 % for G1 at 1200 MB. A collector named in
# MP3_JAVA_OPTS replaces G1.
# The paper's recipes and the ViT-Tiny/S/B presets need several GB (ViT-S at CIFAR-100's batch 256
# ran out of memory at 6 GB): those runs get three quarters of the machine's memory instead.
heap_mb=1200
prev=""
for arg in "$@"; do
  case "$prev $arg" in
    "--recipe "*vit[sb]|--recipe=*vit[sb]|"--model tiny"|"--model small"|"--model base") big=1 ;;
  esac
  case "$arg" in
    --recipe=*vit[sb]|--model=tiny|--model=small|--model=base) big=1 ;;
  esac
  prev="$arg"
done
if [ -n "${big:-}" ] && [ -r /proc/meminfo ]; then
  # Shared by the data-parallel processes on this machine (mpirun says how many).
  ranks="${OMPI_COMM_WORLD_LOCAL_SIZE:-${SLURM_NTASKS_PER_NODE:-1}}"
  case "$ranks" in ''|*[!0-9]*|0) ranks=1 ;; esac
  heap_mb=$(awk -v r="$ranks" '/^MemTotal:/ { printf "%d", $2 * 3 / 4 / 1024 / r }' /proc/meminfo)
fi
case " ${MP3_JAVA_OPTS:-} " in
  *" -Xm"[xs]*) heap=() ;;
  *) heap=(-Xms${heap_mb}m -Xmx${heap_mb}m) ;;
esac
case " ${MP3_JAVA_OPTS:-} " in
  *" -XX:+Use"*GC" "*) collector=() ;;
  *) collector=(-XX:+UseG1GC) ;;
esac
# 512-bit vectors wherever the CPU has AVX-512. HotSpot itself stops at 256 bits (UseAVX=2) on
# early Skylake-SP steppings, whose cores lower their clock for 512-bit code; on such a Xeon
# (lscpu model 85, stepping 4) the ViT training step ran 1.6x faster with UseAVX=3 all the same
# (BENCHMARKS.md, 2026-11-30 night). Where HotSpot already chose 3 the flag changes nothing; a
# -XX:UseAVX in MP3_JAVA_OPTS replaces it.
avx=()
case " ${MP3_JAVA_OPTS:-} " in
  *" -XX:UseAVX="*) ;;
  *) if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then avx=(-XX:UseAVX=3); fi ;;
esac

# 2 MB pages for the heap where the kernel hands them out on request (transparent huge pages set to
# "madvise" or "always"): a training step's activations and the SGEMM's packing buffers are tens of
# MB streamed again and again, and with 4 KB pages every few rows of a matrix is another TLB entry.
# ViT-192's CPU step, seven processes each way alternating on a Zen 5: 0.91x the time supervised,
# 0.93x MP3 eta 0.75, the slowest process much closer to the fastest; the demo 0.94x and 0.96x in
# two pairs, 13-17 MB more resident, the same bits (BENCHMARKS.md, 2026-12-04, second morning). Where
# the kernel has them off ("never") the flag would only print a warning, so it is left out; a
# -XX:[+-]UseTransparentHugePages or -XX:+UseLargePages in MP3_JAVA_OPTS replaces it.
pages=()
case " ${MP3_JAVA_OPTS:-} " in
  *"TransparentHugePages"*|*"LargePages"*) ;;
  *) if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
       pages=(-XX:+UseTransparentHugePages)
     fi ;;
esac

# Signal chaining: an OpenCL runtime loaded into the JVM (PoCL and the LLVM inside it) replaces the
# JVM's SIGSEGV and SIGFPE handlers, which can kill the JVM at random (exit code 139, no hs_err file)
# and turn a Java division by zero into garbage. With libjsig preloaded the JVM keeps its handlers
# and passes the others' signals on (dev.mp3.opencl.SignalChaining).
if [ -f "$JAVA_HOME/lib/libjsig.so" ]; then
  export LD_PRELOAD="$JAVA_HOME/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
fi

cd "$caller"

# Java's standard output stays as it is (fd 3); its standard error goes through the filter. The
# pipeline ends only when both have, so every line is out before the script exits with Java's status.
set +e
{ "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    "${avx[@]}" "${collector[@]}" "${heap[@]}" "${pages[@]}" -Dmp3.progress="$progress" ${MP3_JAVA_OPTS:-} \
    -cp "$root/mp3/target/classes:$(cat "$classpath_file")" dev.mp3.cli.Main "$@" \
    2>&1 1>&3 3>&- | drop_incubator_warning >&2; } 3>&1
exit "${PIPESTATUS[0]}"
