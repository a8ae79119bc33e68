#!/usr/bin/env bash
# Fills .device/ (git-ignored) with what bench/gpu-bench.sh and bench/gpu-tests.sh need on a GPU
# machine that has no Java and no Maven: a trimmed JDK 25 runtime, the project's jars (the mp3 jar
# without its embedded Fashion-MNIST images), the test jars, the OpenCL ICD loader and clinfo
# (Debian packages), and env.sh (bench/gpu-env.sh). Copy the project with .device to the GPU machine,
# then there: source .device/env.sh && bash bench/gpu-bench.sh && bash bench/gpu-tests.sh
# Needs a build (mvn install -DskipTests), JDK 25 ($JDK25 or Temurin's path), and apt-get download.
# Usage, from the project root: bash bench/gpu-pack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME=$JDK
v=0.1.0-SNAPSHOT
m2="${M2_REPO:-$HOME/.m2/repository}"
D=.device
mkdir -p $D/debs

# The runtime: java.base and what the code and the JUnit launcher use; StepBench reads the process's
# CPU time (jdk.management), the launcher scans jars (jdk.zipfs). libjvm.so's unneeded symbols go (5 MB).
mods=java.base,jdk.incubator.vector,jdk.unsupported,java.logging,java.management,jdk.management,jdk.zipfs
if [ "$(cat $D/jre.stamp 2>/dev/null)" != "$JDK|$mods" ]; then
  rm -rf $D/jre
  "$JDK/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
    --output $D/jre 2>&1 | grep -v 'incubator modules' || true
  strip --strip-unneeded $D/jre/lib/server/libjvm.so 2>/dev/null || echo "strip not found: the runtime stays 5 MB larger"
  echo "$JDK|$mods" > $D/jre.stamp
fi

# The jars: the modules a benchmark or `mp3` (dev.mp3.cli.Main) loads, JOCL and picocli.
rm -rf $D/lib && mkdir -p $D/lib
for m in tensor autograd nn opencl mpi bench; do
  f="$m/target/mp3-$m-$v.jar"
  [ -f "$f" ] || { echo "missing $f: run mvn install -DskipTests first" >&2; exit 2; }
  cp "$f" $D/lib/
done
cp "$m2/org/jocl/jocl/2.0.6/jocl-2.0.6.jar" "$m2/info/picocli/picocli/4.7.7/picocli-4.7.7.jar" $D/lib/
x=$(mktemp -d)
trap 'rm -rf "$x"' EXIT
(cd "$x" && "$JDK/bin/jar" xf "$OLDPWD/mp3/target/mp3-$v.jar" && rm -rf dev/mp3/data/fashion-mnist \
  && "$JDK/bin/jar" cf "$OLDPWD/$D/lib/mp3-$v-noimages.jar" .)

# The OpenCL ICD loader and clinfo, unpacked there by env.sh (the GPU machine may have neither).
if ! ls $D/debs/ocl-icd-libopencl1_*.deb >/dev/null 2>&1; then
  (cd $D/debs && { apt-get download ocl-icd-libopencl1 clinfo 2>/dev/null \
    || { apt-get update -qq && apt-get download ocl-icd-libopencl1 clinfo; }; })
fi
cp bench/gpu-env.sh $D/env.sh

bash bench/gpu-tests.sh pack
tree=$(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1)
dev=$(du -sb $D | cut -f1)
echo "packed: .device $(( dev / 1048576 )) MiB, with the tracked tree $(( (tree + dev) / 1048576 )) MiB"
