#!/usr/bin/env python3
"""Writes the scratch copies of PackedGemm this folder's harnesses call, from the working tree's source
(d27fb6b's), exactly as they were run:

  gen.py X > PackedGemmX.java   (Tr.java: TRACE, each task's thread and span, and TPACKED, when B's packing ended)
  gen.py Y > PackedGemmY.java   (Pt.java: PER_THREAD, the tasks per thread the grid aims at; HEAD's 4)
  gen.py Z > PackedGemmZ.java   (L2.java: L2_B_BYTES, the bytes of B one sweep of the A panels reads; HEAD's 256 KB)

Run it in the repository root."""
import sys

s = open('tensor/src/main/java/dev/mp3/tensor/cpu/PackedGemm.java').read()


def sub(s, old, new):
    assert old in s, old
    return s.replace(old, new)


name = 'PackedGemm' + sys.argv[1]
s = s.replace('final class PackedGemm {', f'final class {name} {{').replace('private PackedGemm()', f'private {name}()')
if sys.argv[1] == 'X':
    s = sub(s, """            for (int task = lo; task < hi; task++) {
                int item""", """            for (int task = lo; task < hi; task++) {
                long tStart = System.nanoTime();
                int item""")
    s = sub(s, """                    block(kernel, item, m, n, k, kc, a, shared, packedB, bBase, panelSize, c, bias, ws, i0, i1, j0, j1);
                } else {""", """                    block(kernel, item, m, n, k, kc, a, shared, packedB, bBase, panelSize, c, bias, ws, i0, i1, j0, j1);
                    if (TRACE != null && task < 64) { TRACE[task][0] = tStart; TRACE[task][1] = System.nanoTime(); TRACE[task][2] = Thread.currentThread().getName().hashCode(); TRACE[task][3] = (long) (i1 - i0) * (j1 - j0); }
                } else {""")
    s = sub(s, "    static final int MC = 120;", "    static final int MC = 120;\n    static long[][] TRACE;\n    static long TPACKED;")
    s = sub(s, """        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));""", """        TPACKED = System.nanoTime();
        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));""")
elif sys.argv[1] == 'Z':
    s = sub(s, "    static final int L2_B_BYTES = 256 * 1024;", "    static int L2_B_BYTES = 256 * 1024;")
else:
    s = sub(s, 'long wanted = Math.min(4L * threads,', 'long wanted = Math.min((long) PER_THREAD * threads,')
    s = sub(s, "    static final int MC = 120;", "    static final int MC = 120;\n    static int PER_THREAD = 4;")
sys.stdout.write(s)
