#!/bin/sh
# A scratch clone at the commit under test with a8d06b4's KOuterGemm copied in as KOuterGemmOld,
# built, and AbW compiled against it. usage: abw-setup.sh COMMIT DIR
set -e
C=$1; D=$2
git clone -q "${REPO:-$(git rev-parse --show-toplevel)}" "$D"
cd "$D" && git checkout -q "$C"
git show a8d06b4:tensor/src/main/java/dev/mp3/tensor/cpu/KOuterGemm.java \
  | sed 's/final class KOuterGemm {/final class KOuterGemmOld {/; s/private KOuterGemm()/private KOuterGemmOld()/' \
  > tensor/src/main/java/dev/mp3/tensor/cpu/KOuterGemmOld.java
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -ntp -o -q package -DskipTests -pl bench -am
mkdir -p h && /usr/lib/jvm/temurin-25-jdk-amd64/bin/javac --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
  -d h "$(dirname "$0")/AbW.java"
echo "run: OPENBLAS_CORETYPE=COOPERLAKE java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -cp $D/h:$D/bench/target/benchmarks.jar dev.mp3.tensor.cpu.AbW 6 576x6400x192 768x6400x192 192x6400x768 192x6400x576"
