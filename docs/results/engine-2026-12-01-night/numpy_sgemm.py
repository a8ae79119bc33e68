import numpy as np, time, sys
shapes=sys.argv[1].split(",")
for s in shapes:
    p=s.split(":"); m,k,n=map(int,p[0].split("x")); tA=len(p)>1 and p[1]=="tA"; tB=len(p)>1 and p[1]=="tB"
    a=np.random.rand(k,m).astype(np.float32) if tA else np.random.rand(m,k).astype(np.float32)
    b=np.random.rand(n,k).astype(np.float32) if tB else np.random.rand(k,n).astype(np.float32)
    A=a.T if tA else a; B=b.T if tB else b
    best=0
    for r in range(5):
        t0=time.perf_counter(); c=0
        while time.perf_counter()-t0<0.25:
            x=A@B; c+=1
        best=max(best,2*m*n*k*c/(time.perf_counter()-t0)/1e9)
    print(f"| {s} | numpy {best:.1f} |")
