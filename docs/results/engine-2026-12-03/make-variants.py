#!/usr/bin/env python3
"""Writes the scratch variants of this folder's harnesses from the engine's sources at a commit, exactly
as they were run (40749d1 for the first four):

  make-variants.py COMMIT PackedGemmX        > PackedGemmX.java   (SqX.java: tasks per thread and the least
                                                                    floats per B-packing range settable)
  make-variants.py COMMIT PackedGemmX-traced > PackedGemmX.java   (Tr.java, Tm.java: the same plus TRACE / TPACKED)
  make-variants.py COMMIT KOuterX            > KOuterX.java       (AbS.java: the span count forced)
  make-variants.py COMMIT KOuterXB           > KOuterXB.java      (AbB.java: the same plus BALANCE)
  make-variants.py COMMIT KOuterL            > KOuterL.java       (AbL.java: KOuterX with B's L2 sweep budget
                                                                    settable; run from acf9d65)
  make-variants.py COMMIT KOuterT            > KOuterT.java       (T2.java: KOuterX timing its summing pass;
                                                                    run from a25be98, the pass before)
  make-variants.py COMMIT KOuterT2           > KOuterT2.java      (T2.java: the commit's KOuterGemm timing it;
                                                                    run from 5c3994b, the pass after)
  make-variants.py COMMIT KOuterF            > KOuterF.java       (AbF.java: KOuterX with F K blocks of a span
                                                                    folded into one; run from a25be98)
  make-variants.py COMMIT AttOld             > AttOld.java        (AtB.java: the commit's AttentionKernels
                                                                    renamed; run from c56bb6b, before the block softmax)

Run it inside the repository."""
import subprocess, sys


def source(commit, name):
    return subprocess.run(['git', 'show', f'{commit}:tensor/src/main/java/dev/mp3/tensor/cpu/{name}.java'],
                          capture_output=True, text=True, check=True).stdout


def sub(s, old, new):
    assert old in s, old
    return s.replace(old, new)


def packed_gemm_x(commit, traced):
    s = source(commit, 'PackedGemm')
    s = s.replace('final class PackedGemm {', 'final class PackedGemmX {').replace('private PackedGemm()', 'private PackedGemmX()')
    s = sub(s, 'private static final int MIN_PACK_FLOATS = 1 << 16;', 'static int MIN_PACK_FLOATS = 1 << 16;\n    static int PER_THREAD = 4;')
    s = sub(s, 'long wanted = Math.min(4L * threads,', 'long wanted = Math.min((long) PER_THREAD * threads,')
    if not traced:
        return s
    s = sub(s, """        Parallel.RangeBody body = (lo, hi) -> {
            Workspace ws = Workspace.get();
            for (int task = lo; task < hi; task++) {""", """        Parallel.RangeBody body = (lo, hi) -> {
            Workspace ws = Workspace.get();
            for (int task = lo; task < hi; task++) {
                long tStart = System.nanoTime();""")
    s = sub(s, """                if (c.colStride() == 1) {
                    block(kernel, item, m, n, k, kc, a, shared, packedB, bBase, panelSize, c, bias, ws, i0, i1, j0, j1);
                } else {""", """                if (c.colStride() == 1) {
                    block(kernel, item, m, n, k, kc, a, shared, packedB, bBase, panelSize, c, bias, ws, i0, i1, j0, j1);
                    if (TRACE != null && task < 64) { TRACE[task][0] = tStart; TRACE[task][1] = System.nanoTime(); TRACE[task][2] = Thread.currentThread().getName().hashCode(); TRACE[task][3] = (long) (i1 - i0) * (j1 - j0); }
                } else {""")
    s = sub(s, "    static int PER_THREAD = 4;", "    static int PER_THREAD = 4;\n    static long[][] TRACE;\n    static long T0, TPACKED;")
    s = sub(s, """        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));""", """        TPACKED = System.nanoTime();
        int mr = kernel.rows;
        int kc = ceilDiv(k, ceilDiv(k, KC));""")
    return s


def kouter_x(commit, balance_switch):
    s = source(commit, 'KOuterGemm')
    s = s.replace('final class KOuterGemm {', 'final class KOuterX {').replace('private KOuterGemm()', 'private KOuterX()')
    s = sub(s, """        int kc = blockSteps(k);
        int kBlocks = PackedGemm.ceilDiv(k, kc);
        int spans = spans(k);""", """        int spans = FORCE_SPANS > 0 ? FORCE_SPANS : spans(k);
        int kc = PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans);
        int kBlocks = PackedGemm.ceilDiv(k, kc);""")
    s = sub(s, "    static final int MAX_SPANS = 8;", "    static final int MAX_SPANS = 8;\n    static int FORCE_SPANS = 0;")
    if not balance_switch:
        return s
    s = sub(s, "        int kc = PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans);",
            "        int kc = BALANCE ? PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans) : PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(k, PackedGemm.KC));")
    s = sub(s, "    static int FORCE_SPANS = 0;", "    static int FORCE_SPANS = 0;\n    static boolean BALANCE = true;")
    return s.replace('KOuterX', 'KOuterXB')


def kouter_l(commit):
    s = kouter_x(commit, False).replace('KOuterX', 'KOuterL')
    s = sub(s, "        int step = PackedGemm.l2Columns(kb, nr, panels * nr) / nr;",
            "        int step = l2Columns(kb, nr, panels * nr) / nr;")
    return sub(s, "    static int FORCE_SPANS = 0;", """    static int FORCE_SPANS = 0;
    static int L2_B_BYTES = 256 * 1024;
    static int l2Columns(int kb, int nr, int width) {
        int panels = PackedGemm.ceilDiv(width, nr);
        int most = Math.max(1, L2_B_BYTES / (kb * nr * Float.BYTES));
        int parts = PackedGemm.ceilDiv(panels, most);
        return PackedGemm.ceilDiv(panels, parts) * nr;
    }""")


def timed(s, name):
    old = "            sumAndWriteBack(partial, spans, cSize, ldc, c, bias, m, n);"
    s = sub(s, old, "            long t1 = System.nanoTime();\n" + old + "\n            SUM += System.nanoTime() - t1; ALL += System.nanoTime() - t0;")
    s = sub(s, "        float[] partial = ArrayPool.SHARED.take(spans * cSize);",
            "        long t0 = System.nanoTime();\n        float[] partial = ArrayPool.SHARED.take(spans * cSize);")
    return s


def kouter_t(commit):
    s = timed(kouter_x(commit, False), 'KOuterT').replace('KOuterX', 'KOuterT')
    return sub(s, "    static int FORCE_SPANS = 0;", "    static int FORCE_SPANS = 0;\n    static long SUM, ALL;")


def kouter_t2(commit):
    s = source(commit, 'KOuterGemm')
    s = s.replace('final class KOuterGemm {', 'final class KOuterT2 {').replace('private KOuterGemm()', 'private KOuterT2()')
    s = timed(s, 'KOuterT2')
    return sub(s, "    static final int MAX_SPANS = 8;", "    static final int MAX_SPANS = 8;\n    static long SUM, ALL;")


def kouter_f(commit):
    s = kouter_x(commit, False).replace('KOuterX', 'KOuterF')
    s = sub(s, "        int kc = PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans);\n        int kBlocks = PackedGemm.ceilDiv(k, kc);",
            """        int kc0 = PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans);
        int kBlocks0 = PackedGemm.ceilDiv(k, kc0);
        boolean fold = F > 1 && (kBlocks0 / spans) % F == 0 && kBlocks0 % spans == 0 && (long) kc0 * kBlocks0 == k;
        int kc = fold ? kc0 * F : kc0, kBlocks = fold ? kBlocks0 / F : kBlocks0;""")
    return sub(s, "    static int FORCE_SPANS = 0;", "    static int FORCE_SPANS = 0;\n    static int F = 1;")


def att_old(commit):
    s = source(commit, 'AttentionKernels')
    return s.replace('final class AttentionKernels {', 'final class AttOld {').replace('private AttentionKernels()', 'private AttOld()')


commit, which = sys.argv[1], sys.argv[2]
sys.stdout.write({'PackedGemmX': lambda: packed_gemm_x(commit, False),
                  'PackedGemmX-traced': lambda: packed_gemm_x(commit, True),
                  'KOuterX': lambda: kouter_x(commit, False),
                  'KOuterXB': lambda: kouter_x(commit, True),
                  'KOuterL': lambda: kouter_l(commit),
                  'KOuterT': lambda: kouter_t(commit),
                  'KOuterT2': lambda: kouter_t2(commit),
                  'KOuterF': lambda: kouter_f(commit),
                  'AttOld': lambda: att_old(commit)}[which]())
