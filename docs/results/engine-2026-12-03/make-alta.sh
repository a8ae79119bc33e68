#!/bin/bash
# Writes AltA.java (KOuterGemm's A read in place or packed, switched: GemmKernels.KOUTER_A_IN_PLACE of
# measurement-build.diff) from ../engine-2026-12-02i/AltW.java, exactly as it was run.
# usage: ./make-alta.sh OUTDIR   (then put OUTDIR/AltA.java in bench/src/main/java/dev/mp3/bench of the measurement build)
here=$(cd "$(dirname "$0")" && pwd)
sed -e 's/import dev.mp3.autograd.Var;/import dev.mp3.tensor.cpu.GemmKernels;/' -e 's/AltW/AltA/g' \
    -e 's/Var.RECYCLE = b;/GemmKernels.KOUTER_A_IN_PLACE = b;/' \
    -e 's/a view.s backward starting from fresh zeros/the weight gradients packing their column-major A/' \
    -e 's/(A, Var.RECYCLE false) or from recycled zero-filled arrays (B)/(A, GemmKernels.KOUTER_A_IN_PLACE false) or reading it in place (B)/' \
    "$here/../engine-2026-12-02i/AltW.java" > "$1/AltA.java"
