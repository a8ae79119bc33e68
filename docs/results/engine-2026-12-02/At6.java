package dev.mp3.tensor.cpu;
// attention forward+backward on the real [B, N, 3, H, d] layout vs the same with rows padded by PAD floats; alternating 0.2 s windows in one JVM
public class At6 {
  static Object[] make(int B,int H,int N,int d,int pad){ int D=H*d; int R=3*D+pad, RO=D+pad;
    float[] qkv=new float[B*N*R]; for(int i=0;i<qkv.length;i++) qkv[i]=(float)Math.sin(i*0.37)*0.5f;
    float[] o=new float[B*N*RO], go=new float[B*N*RO]; for(int i=0;i<go.length;i++) go[i]=(float)Math.cos(i*0.11);
    float[] dqkv=new float[B*N*R];
    return new Object[]{new AttentionKernels.Heads(qkv,0,N*R,d,R),new AttentionKernels.Heads(qkv,D,N*R,d,R),new AttentionKernels.Heads(qkv,2*D,N*R,d,R),
      new AttentionKernels.Heads(o,0,N*RO,d,RO),new AttentionKernels.Heads(go,0,N*RO,d,RO),
      new AttentionKernels.Heads(dqkv,0,N*R,d,R),new AttentionKernels.Heads(dqkv,D,N*R,d,R),new AttentionKernels.Heads(dqkv,2*D,N*R,d,R), new float[B*H*N]}; }
  static void step(Object[] s,int bh,int H,int N,int d){ var q=(AttentionKernels.Heads)s[0]; var k=(AttentionKernels.Heads)s[1]; var v=(AttentionKernels.Heads)s[2];
    var out=(AttentionKernels.Heads)s[3]; var g=(AttentionKernels.Heads)s[4]; float[] lse=(float[])s[8]; float sc=(float)(1/Math.sqrt(d));
    AttentionKernels.forward(q,k,v,null,bh,H,N,N,d,sc,out,lse);
    AttentionKernels.backward(q,k,v,null,bh,H,N,N,d,sc,out,lse,g,(AttentionKernels.Heads)s[5],(AttentionKernels.Heads)s[6],(AttentionKernels.Heads)s[7],null); }
  public static void main(String[] a){ int threads=Integer.parseInt(a[0]), N=Integer.parseInt(a[1]), d=Integer.parseInt(a[2]), pad=Integer.parseInt(a[3]), rounds=Integer.parseInt(a[4]);
    Parallel.setThreads(threads); int B=64,H=4,bh=B*H; Object[][] sets={make(B,H,N,d,0),make(B,H,N,d,pad)}; double[] sum=new double[2];
    for(int r=0;r<rounds;r++){ StringBuilder sb=new StringBuilder(); for(int x=0;x<2;x++){ long t0=System.nanoTime(); int n=0; while(System.nanoTime()-t0<200_000_000L){step(sets[x],bh,H,N,d);n++;}
      double ms=(System.nanoTime()-t0)/1e6/n; if(r>=2) sum[x]+=ms; sb.append(String.format(" %7.2f ms",ms)); } System.out.println(sb); }
    System.out.printf("means: pad 0 %.2f ms, pad %d %.2f ms, pad0/pad = %.2f%n", sum[0]/(rounds-2), pad, sum[1]/(rounds-2), sum[0]/sum[1]); } }
