# generates Kc.java: bare 6x16 kernel variants, alternating 0.1 s windows, one thread
def kernel(name, idx, unroll):
    s = []
    s.append(f"  static void {name}(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc) {{")
    s.append("    FloatVector c00,c01,c10,c11,c20,c21,c30,c31,c40,c41,c50,c51;")
    for r in range(6):
        s.append(f"    c{r}0 = FloatVector.fromArray(S, c, ci + {r}*ldc); c{r}1 = FloatVector.fromArray(S, c, ci + {r}*ldc + L);")
    s.append("    int a0=ai,a1=ai+lda,a2=ai+2*lda,a3=ai+3*lda,a4=ai+4*lda,a5=ai+5*lda;")
    s.append(f"    int p = 0;")
    s.append(f"    for (; p + {unroll-1} < kc; p += {unroll}) {{")
    for u in range(unroll):
        s.append(f"      {{ int bp = bi + (p + {u}) * (2 * L);")
        s.append(f"      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L); FloatVector av;")
        for r in range(6):
            s.append(f"      av = FloatVector.broadcast(S, a[{idx(r, f'p + {u}')}]); c{r}0 = av.fma(b0, c{r}0); c{r}1 = av.fma(b1, c{r}1);")
        s.append("      }")
    s.append("    }")
    s.append(f"    for (; p < kc; p++) {{ int bp = bi + p * (2 * L);")
    s.append(f"      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L); FloatVector av;")
    for r in range(6):
        s.append(f"      av = FloatVector.broadcast(S, a[{idx(r, 'p')}]); c{r}0 = av.fma(b0, c{r}0); c{r}1 = av.fma(b1, c{r}1);")
    s.append("    }")
    for r in range(6):
        s.append(f"    c{r}0.intoArray(c, ci + {r}*ldc); c{r}1.intoArray(c, ci + {r}*ldc + L);")
    s.append("  }")
    return "\n".join(s)


def kernel_bp(name):
    s = []
    s.append(f"  static void {name}(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc) {{")
    s.append("    FloatVector c00,c01,c10,c11,c20,c21,c30,c31,c40,c41,c50,c51;")
    for r in range(6):
        s.append(f"    c{r}0 = FloatVector.fromArray(S, c, ci + {r}*ldc); c{r}1 = FloatVector.fromArray(S, c, ci + {r}*ldc + L);")
    s.append("    int a0=ai,a1=ai+lda,a2=ai+2*lda,a3=ai+3*lda,a4=ai+4*lda,a5=ai+5*lda;")
    s.append("    int bp = bi;")
    s.append("    for (int p = 0; p < kc; p++, bp += 2 * L) {")
    s.append("      FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L); FloatVector av;")
    for r in range(6):
        s.append(f"      av = FloatVector.broadcast(S, a[a{r} + p]); c{r}0 = av.fma(b0, c{r}0); c{r}1 = av.fma(b1, c{r}1);")
    s.append("    }")
    for r in range(6):
        s.append(f"    c{r}0.intoArray(c, ci + {r}*ldc); c{r}1.intoArray(c, ci + {r}*ldc + L);")
    s.append("  }")
    return "\n".join(s)

var = lambda r, p: f"a{r} + {p}"
const = lambda r, p: f"ai + {r} * LDA + {p}"
ks = [("rowA", var, 1), ("rowBp", var, 1)]
out = ["import jdk.incubator.vector.*;", "public class Kc {",
       "  static final VectorSpecies<Float> S = FloatVector.SPECIES_256; static final int L = 8; static final int LDA = 272;"]
for n, f, u in ks:
    out.append(kernel_bp(n) if n == 'rowBp' else kernel(n, f, u))
out.append("""  public static void main(String[] args) {
    int tiles=19,panels=16,kc=256,lda=272,ps=4112,ldc=1024, mr=6, nr=16;
    float[] a0=new float[tiles*mr*lda+64], b0=new float[panels*ps+64], c0=new float[tiles*mr*ldc+64];
    for (int i=0;i<a0.length;i++) a0[i]=(i%7)*0.01f; for (int i=0;i<b0.length;i++) b0[i]=(i%5)*0.01f;
    String[] names={NAMES}; int V=names.length; double[] sum=new double[V]; int R=Integer.parseInt(args[0]);
    for (int rep=0; rep<R; rep++) { StringBuilder sb=new StringBuilder();
      for (int v=0; v<V; v++) {
        long t0=System.nanoTime(); long calls=0;
        while (System.nanoTime()-t0 < 100_000_000L) { for (int t=0;t<tiles;t++) for (int j=0;j<panels;j++) {
            switch (v) { CASES }
          } calls+=tiles*panels; }
        double g=2.0*mr*nr*kc*calls/(System.nanoTime()-t0); if(rep>=3) sum[v]+=g; sb.append(String.format(" %5.1f", g)); }
      if (rep < 6) System.out.println(sb); }
    StringBuilder sb=new StringBuilder("means:"); for(int v=0;v<V;v++) sb.append(String.format(" %s %.1f (%.3f);", names[v], sum[v]/(R-3), sum[v]/sum[0])); System.out.println(sb); } }""".replace("NAMES", ",".join(f'"{n}"' for n, _, _ in ks)).replace("CASES", " ".join(f"case {i} -> {n}(kc, a0, t*mr*lda, lda, b0, j*ps, c0, t*mr*ldc + j*nr, ldc);" for i, (n, _, _) in enumerate(ks))))
open("Kc.java", "w").write("\n".join(out) + "\n")
