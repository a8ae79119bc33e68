package dev.mp3.tensor.cpu;
// Each of attention's products (and passes) alone, over all B*H pairs of the real [B, N, 3, H, d] layout, one thread
public class At5 {
  interface Op { void run(int t); }
  public static void main(String[] a) {
    int B=64,H=Integer.parseInt(a[2]),N=Integer.parseInt(a[0]),d=Integer.parseInt(a[1]); int D=H*d, bh=B*H; int R=3*D;
    float[] qkv=new float[B*N*R]; for(int i=0;i<qkv.length;i++) qkv[i]=(float)Math.sin(i*0.37)*0.5f;
    float[] o=new float[B*N*D], go=new float[B*N*D]; for(int i=0;i<go.length;i++) go[i]=(float)Math.cos(i*0.11);
    float[] dqkv=new float[B*N*R];
    var q=new AttentionKernels.Heads(qkv,0,N*R,d,R); var k=new AttentionKernels.Heads(qkv,D,N*R,d,R); var v=new AttentionKernels.Heads(qkv,2*D,N*R,d,R);
    var out=new AttentionKernels.Heads(o,0,N*D,d,D); var g=new AttentionKernels.Heads(go,0,N*D,d,D);
    var dq=new AttentionKernels.Heads(dqkv,0,N*R,d,R);
    float[] p=new float[N*N], dp=new float[N*N], scratch=new float[16384];
    GemmOperand P=GemmOperand.of(p,0,0,false,N,N), DP=GemmOperand.of(dp,0,0,false,N,N);
    float[] lq=new float[N*d], lk=new float[N*d];
    for(int i=0;i<p.length;i++){p[i]=(float)Math.sin(i);dp[i]=(float)Math.cos(i);}
    String[] names={"K^T copy","QK^T (tB)","PV","P^T gO (tA)","gO V^T (tB)","dS K","dS^T Q (tA)","QK^T L1 (tB)","exp rows","scale pass"};
    Op[] ops={
      t->{GemmOperand kb=k.pair(t,H).transposed(); float[] bd=kb.data(); for(int pp=0;pp<d;pp++) for(int j=0;j<N;j++) scratch[pp*N+j]=bd[kb.at(0,pp,j)];},
      t->DirectGemm.multiply(0,N,N,d,q.pair(t,H),k.pair(t,H).transposed(),P,scratch),
      t->DirectGemm.multiply(0,N,d,N,P,v.pair(t,H),out.pair(t,H),null),
      t->DirectGemm.multiply(0,N,d,N,P.transposed(),g.pair(t,H),dq.pair(t,H),null),
      t->DirectGemm.multiply(0,N,N,d,g.pair(t,H),v.pair(t,H).transposed(),DP,scratch),
      t->DirectGemm.multiply(0,N,d,N,DP,k.pair(t,H),dq.pair(t,H),null),
      t->DirectGemm.multiply(0,N,d,N,DP.transposed(),q.pair(t,H),dq.pair(t,H),null),
      t->DirectGemm.multiply(0,N,N,d,GemmOperand.of(lq,0,0,false,N,d),GemmOperand.of(lk,0,0,true,d,N),P,scratch),
      t->{for(int i=0;i<N;i++) VectorMath.expShifted(dp,i*N,1f,dp,i*N,N);},
      t->ElementwiseKernels.affineRun(dp,0,1,0.99f,0f,dp,0,N*N),
    };
    double fl=2.0*N*N*d;
    for(int rep=0;rep<3;rep++){ StringBuilder sb=new StringBuilder();
      for(int x=0;x<ops.length;x++){ long t0=System.nanoTime(); long cnt=0; while(System.nanoTime()-t0<300_000_000L){ for(int t=0;t<bh;t++) ops[x].run(t); cnt+=bh;}
        double ns=(System.nanoTime()-t0)/(double)cnt; if(rep==2) System.out.printf("%-14s %7.2f us/pair %6.1f GFLOP/s%n",names[x],ns/1000,fl/ns); } }
  } }
