#!/bin/bash
# Runs this folder's harnesses from the repository root (main at the commit named in README.md), one
# after another, each output into its own file. Needs `m -q compile -pl tensor` first.
set -e
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
D=docs/results/engine-2026-12-04c
OUT=/tmp/engine-2026-12-04c-out
rm -rf $OUT && mkdir -p $OUT
$J/javac --add-modules jdk.incubator.vector -cp tensor/target/classes -d $OUT $D/Chk.java $D/VmKernel.java $D/K64S.java $D/Vm.java $D/VmHot.java $D/Pg.java 2>&1 | grep -v -i warning || true
run() { local file=$1; shift; { date -u; echo "\$ java ... $*"; $J/java --add-modules jdk.incubator.vector -Xmx4g -cp $OUT:tensor/target/classes "$@" 2>&1 | grep -v WARNING; date -u; } >> $D/$file; }
: > $D/interleaved-packing.txt
run interleaved-packing.txt dev.mp3.tensor.cpu.Chk 400 1 400:0 100:0 100:256 100:256:a 50:128 200:512 400:1024 400:1024:a
run interleaved-packing.txt dev.mp3.tensor.cpu.Chk 400 2 400:0 100:256 100:256:a 400:1024 400:1024:a
: > $D/mirrored-kernel-hot.txt
for args in "128 32 12" "400 32 12" "400 192 784" "200 192 784"; do run mirrored-kernel-hot.txt dev.mp3.tensor.cpu.VmHot $args; done
: > $D/mirrored-kernel-product.txt
for shape in "192 6400 768" "192 6400 576"; do
  for kb in 200 400 800; do run mirrored-kernel-product.txt -Dtouch=true dev.mp3.tensor.cpu.Vm $shape $kb 0 5; done
  run mirrored-kernel-product.txt -Dtouch=true dev.mp3.tensor.cpu.Vm $shape 400 1 5
  run mirrored-kernel-product.txt -Dtouch=true -Dvr=3 dev.mp3.tensor.cpu.Vm $shape 400 0 5
  run mirrored-kernel-product.txt -Dtouch=true -Dvr=4 dev.mp3.tensor.cpu.Vm $shape 400 0 5
done
: > $D/mirrored-kernel-probes.txt
for p in A B C AB; do run mirrored-kernel-probes.txt -Dprobe=$p dev.mp3.tensor.cpu.Vm 192 6400 768 400 0 4; done
: > $D/strided-b-6x64.txt
for kb in 256 400 496; do run strided-b-6x64.txt dev.mp3.tensor.cpu.Vm 192 6400 768 $kb 2 5; done
: > $D/packed-vs-kouter.txt
run packed-vs-kouter.txt dev.mp3.tensor.cpu.Pg 192 6400 768 5
run packed-vs-kouter.txt dev.mp3.tensor.cpu.Pg 192 6400 576 5
