package dev.mp3.tensor.cpu;
public class At3H {
  static int B=64,H=4,N,d,bh; static float scale; static AttentionKernels.Heads q,k,v,out,g,dq,dk,dv; static float[] lse;
  public static void setup(int threads, int n, int dd) { Parallel.setThreads(threads); N=n; d=dd; int D=H*d; bh=B*H; scale=(float)(1/Math.sqrt(d));
    float[] qkv=new float[B*N*3*D]; for(int i=0;i<qkv.length;i++) qkv[i]=(float)Math.sin(i*0.37)*0.5f;
    float[] o=new float[B*N*D], go=new float[B*N*D]; lse=new float[bh*N]; for(int i=0;i<go.length;i++) go[i]=(float)Math.cos(i*0.11);
    float[] dqkv=new float[B*N*3*D];
    q=new AttentionKernels.Heads(qkv,0,N*3*D,d,3*D); k=new AttentionKernels.Heads(qkv,D,N*3*D,d,3*D); v=new AttentionKernels.Heads(qkv,2*D,N*3*D,d,3*D);
    out=new AttentionKernels.Heads(o,0,N*D,d,D); g=new AttentionKernels.Heads(go,0,N*D,d,D);
    dq=new AttentionKernels.Heads(dqkv,0,N*3*D,d,3*D); dk=new AttentionKernels.Heads(dqkv,D,N*3*D,d,3*D); dv=new AttentionKernels.Heads(dqkv,2*D,N*3*D,d,3*D); }
  public static void step() { AttentionKernels.forward(q,k,v,null,bh,H,N,N,d,scale,out,lse); AttentionKernels.backward(q,k,v,null,bh,H,N,N,d,scale,out,lse,g,dq,dk,dv,null); }
}
