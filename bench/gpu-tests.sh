#!/usr/bin/env bash
# The OpenCL module's test suite (every op, the attention kernels, the SGEMM configurations and a
# whole training step, each against the CPU backend) on a GPU, where Maven is not installed.
# PoCL runs a work-group's items one after another, so it cannot reveal a missing barrier or a race
# between work-items; a GPU can. bench/gpu-pack.sh packs everything, these jars too:
#   bash bench/gpu-pack.sh                              # here, after mvn install -DskipTests
#   source .device/env.sh && bash bench/gpu-tests.sh    # on the GPU machine
# The same command runs on a CPU OpenCL runtime (PoCL) for a dry run.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=.device/test
if [ "${1:-}" = pack ]; then
  set -e
  m2="${M2_REPO:-$HOME/.m2/repository}"
  console="$m2/org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar"
  [ -f "$console" ] || mvn -B -q -ntp dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1
  for f in opencl/target/test-classes tensor/target/mp3-tensor-0.1.0-SNAPSHOT-tests.jar \
           autograd/target/mp3-autograd-0.1.0-SNAPSHOT-tests.jar; do
    [ -e "$f" ] || { echo "missing $f: run mvn install -DskipTests first" >&2; exit 2; }
  done
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$console" "$dir/console.jar"
  cp tensor/target/mp3-tensor-0.1.0-SNAPSHOT-tests.jar autograd/target/mp3-autograd-0.1.0-SNAPSHOT-tests.jar "$dir/"
  cp "$m2/org/assertj/assertj-core/3.27.7/assertj-core-3.27.7.jar" "$dir/"
  (cd opencl/target/test-classes && "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jar" cf "../../../$dir/mp3-opencl-tests.jar" .)
  echo "packed: $(du -sh "$dir" | cut -f1) in $dir"
  exit 0
fi
out="${OUT:-/tmp/gpu-tests}"
mkdir -p "$out"
java="${JAVA:-java}"
main_cp="${CP:-${MP3_CP:-bench/target/benchmarks.jar}}"
# The launcher does not expand a "dir/*" class path entry: list the jars.
case "$main_cp" in *"/*") main_cp=$(ls "${main_cp%/\*}"/*.jar | paste -sd:) ;; esac
cp="$main_cp:$dir/mp3-opencl-tests.jar:$dir/mp3-tensor-0.1.0-SNAPSHOT-tests.jar:$dir/mp3-autograd-0.1.0-SNAPSHOT-tests.jar:$dir/assertj-core-3.27.7.jar"
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/lib/libjsig.so"
preload=()
[ -f "$jsig" ] && preload=(env "LD_PRELOAD=$jsig${LD_PRELOAD:+:$LD_PRELOAD}")
# The module's surefire settings (opencl/pom.xml's argLine).
"${preload[@]}" timeout "${TEST_TIMEOUT:-240}" "$java" --add-modules jdk.incubator.vector -Xss4m -XX:+UseParallelGC \
  --enable-native-access=ALL-UNNAMED -Dmp3.opencl.autotune=false -jar "$dir/console.jar" execute \
  --class-path "$cp" --scan-classpath "$dir/mp3-opencl-tests.jar" --details=summary --disable-banner 2>&1 | grep -v '^WARNING' > "$out/tests.txt"
rc=${PIPESTATUS[0]}
grep -E 'OpenCL tests run on|tests (successful|failed|skipped|aborted|found)|containers failed|MethodSource|=> ' "$out/tests.txt" | head -60
echo "junit exit code: $rc (0: all passed; 124: stopped by the ${TEST_TIMEOUT:-240} s timeout)"
exit "$rc"
