#!/usr/bin/env bash
# Fills .device/ (git-ignored) with what bench/gpu-bench.sh and bench/gpu-tests.sh need on a GPU
# machine that has no Java and no Maven: a trimmed JDK 25 runtime, the project's jars without the
# embedded Fashion-MNIST images, the test jars, the OpenCL ICD loader and env.sh. Everything that
# travels there (this tree and .device) must stay under 64 MiB, hence the trimming.
# Needs ../shared/gpu/pack.sh (the workplace's packer) and a build: mvn install -DskipTests.
# Usage, from the project root: bash bench/gpu-pack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME=$JDK
v=0.1.0-SNAPSHOT
lib=$(mktemp -d)
trap 'rm -rf "$lib"' EXIT
for m in tensor autograd nn opencl mpi bench; do
  cp "$m/target/mp3-$m-$v.jar" "$lib/" 2>/dev/null || cp "$m/target/mp3-$v.jar" "$lib/"
done
cp "$HOME/.m2/repository/org/jocl/jocl/2.0.6/jocl-2.0.6.jar" "$lib/"
# picocli: the command line (dev.mp3.cli.Main), e.g. `mp3 tune` there.
cp "$HOME/.m2/repository/info/picocli/picocli/4.7.7/picocli-4.7.7.jar" "$lib/"
# The mp3 module without its 5 MB of embedded images (the benchmarks use random ones).
mkdir "$lib/x"
(cd "$lib/x" && "$JDK/bin/jar" xf "$OLDPWD/mp3/target/mp3-$v.jar" && rm -rf dev/mp3/data/fashion-mnist \
  && "$JDK/bin/jar" cf ../mp3-$v-noimages.jar .)
rm -rf "$lib/x"
mkdir -p .git/info
../shared/gpu/pack.sh "$lib"
# StepBench reads the process's CPU time (com.sun.management) and the JUnit launcher scans jars
# (jdk.zipfs): add jdk.management and jdk.zipfs to the runtime,
# keeping pack.sh's stamp so that it does not rebuild it. The unneeded symbols of libjvm.so go (5 MB).
if [ ! -f .device/jre/jmods.ok ]; then
  rm -rf .device/jre
  "$JDK/bin/jlink" --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.logging,java.management,jdk.management,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .device/jre 2>&1 | grep -v 'incubator modules' || true
  strip --strip-unneeded .device/jre/lib/server/libjvm.so
  touch .device/jre/jmods.ok
fi
bash bench/gpu-tests.sh pack
tree=$(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1)
dev=$(du -sb .device | cut -f1)
echo "travels: $(( (tree + dev) / 1048576 )) MiB of 64 (tree $(( tree / 1048576 )), .device $(( dev / 1048576 )))"
