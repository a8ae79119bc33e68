#!/bin/bash
# Writes AltN.java (the narrow panels switched, MicroKernel.NARROW) from AltW.java (Var.RECYCLE), exactly as it was run.
# usage: ./make-altn.sh OUTDIR   (then put OUTDIR/AltN.java beside AltW.java in bench/src/main/java/dev/mp3/bench)
here=$(cd "$(dirname "$0")" && pwd)
sed -e 's/import dev.mp3.autograd.Var;/import dev.mp3.tensor.cpu.MicroKernel;/' -e 's/AltW/AltN/g' \
    -e 's/Var.RECYCLE = b;/MicroKernel.NARROW = b;/' \
    -e 's/a view.s backward starting from fresh zeros/the last panel of C as a whole padded tile/' \
    -e 's/(A, Var.RECYCLE false) or from recycled zero-filled arrays (B)/(A, MicroKernel.NARROW false) or run by a kernel of its width (B)/' \
    "$here/AltW.java" > "$1/AltN.java"
