#!/bin/sh
# Writes PackedGemmX.java (for SqX.java) from PackedGemm.java at the given commit: the tasks per
# thread and the least floats per B-packing range become settable statics. usage: make-packedgemmx.sh COMMIT > PackedGemmX.java
git show "$1":tensor/src/main/java/dev/mp3/tensor/cpu/PackedGemm.java | sed \
  -e 's/final class PackedGemm {/final class PackedGemmX {/' -e 's/private PackedGemm()/private PackedGemmX()/' \
  -e 's/private static final int MIN_PACK_FLOATS = 1 << 16;/static int MIN_PACK_FLOATS = 1 << 16;\n    static int PER_THREAD = 4;/' \
  -e 's/long wanted = Math.min(4L \* threads,/long wanted = Math.min((long) PER_THREAD * threads,/'
