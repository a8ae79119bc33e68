import sys
def gen(R, C, name):
    acc = [[f"c{r}_{j}" for j in range(C)] for r in range(R)]
    L = []; A = L.append
    A(f"  static void {name}(int kb, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean acc) {{")
    A("    FloatVector " + ", ".join(x for row in acc for x in row) + ";")
    A("    if (acc) {")
    for r in range(R):
        for j in range(C):
            A(f"      {acc[r][j]} = FloatVector.fromArray(S, c, ci + {j} * ldc + {r * 16});")
    A("    } else {")
    A("      " + " = ".join(x for row in acc for x in row) + " = FloatVector.zero(S);")
    A("    }")
    A("    for (int p = 0; p < kb; p++) {")
    A("      int ap = ai + p * lda; int bp = bi + p * ldb;")
    for r in range(R):
        A(f"      FloatVector a{r} = FloatVector.fromArray(S, a, ap + {r * 16});")
    for j in range(C):
        A(f"      FloatVector b{j} = FloatVector.broadcast(S, b[bp + {j}]);")
        A("      " + " ".join(f"{acc[r][j]} = a{r}.fma(b{j}, {acc[r][j]});" for r in range(R)))
    A("    }")
    for r in range(R):
        for j in range(C):
            A(f"    {acc[r][j]}.intoArray(c, ci + {j} * ldc + {r * 16});")
    A("  }")
    return L
out = ["package dev.mp3.tensor.cpu;", "import jdk.incubator.vector.*;", "import static dev.mp3.tensor.cpu.ElementwiseKernels.S;",
       "/** C^T tile (TC columns of C x 16R rows, C^T's rows ldc apart) += A's rows x B's columns over kb steps; A step p at a[ai + p*lda], B step p at b[bi + p*ldb]. */",
       "final class VmKernel {",
       "  static int R = Integer.getInteger(\"vr\", 2), C = 24 / R;",
       "  static void run(int kb, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean acc) {",
       "    switch (R) { case 2 -> r2(kb, a, ai, lda, b, bi, ldb, c, ci, ldc, acc); case 3 -> r3(kb, a, ai, lda, b, bi, ldb, c, ci, ldc, acc); default -> r4(kb, a, ai, lda, b, bi, ldb, c, ci, ldc, acc); }",
       "  }"]
out += gen(2, 12, "r2") + gen(3, 8, "r3") + gen(4, 6, "r4") + ["}"]
open("VmKernel.java", "w").write("\n".join(out) + "\n")
