#!/usr/bin/env python3
"""Writes KOuterX.java (for AbS.java) from KOuterGemm.java at a commit: the span count can be forced
(KOuterX.FORCE_SPANS), the K blocks then a multiple of it. usage: make-kouterx.py COMMIT > KOuterX.java"""
import subprocess, sys
s = subprocess.run(['git', 'show', sys.argv[1] + ':tensor/src/main/java/dev/mp3/tensor/cpu/KOuterGemm.java'],
                   capture_output=True, text=True, check=True).stdout
s = s.replace('final class KOuterGemm {', 'final class KOuterX {').replace('private KOuterGemm()', 'private KOuterX()')
old = """        int kc = blockSteps(k);
        int kBlocks = PackedGemm.ceilDiv(k, kc);
        int spans = spans(k);"""
new = """        int spans = FORCE_SPANS > 0 ? FORCE_SPANS : spans(k);
        int kc = PackedGemm.ceilDiv(k, PackedGemm.ceilDiv(PackedGemm.ceilDiv(k, PackedGemm.KC), spans) * spans);
        int kBlocks = PackedGemm.ceilDiv(k, kc);"""
assert old in s
s = s.replace(old, new)
s = s.replace("    static final int MAX_SPANS = 8;", "    static final int MAX_SPANS = 8;\n    static int FORCE_SPANS = 0;")
sys.stdout.write(s)
