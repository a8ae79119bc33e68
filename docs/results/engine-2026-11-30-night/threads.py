import collections,sys
lines=[l for l in open(sys.argv[1]).read().split('\n')[1:] if l.strip()]
a=int(sys.argv[2]) if len(sys.argv)>2 else 0
b=int(sys.argv[3]) if len(sys.argv)>3 else len(lines)-1
def parse(l):
    f=l.split(); t=int(f[0]); d=collections.Counter()
    for x in f[1:]:
        n,v=x.rsplit('=',1); d[n]+=int(v)
    return t,d
t0,d0=parse(lines[a]); t1,d1=parse(lines[b])
dt=t1-t0; tot=0
print("window s",dt)
for n in sorted(set(d1)|set(d0), key=lambda n:-(d1[n]-d0[n])):
    v=(d1[n]-d0[n])/100; tot+=v
    if v>0.5: print(f"{n:20s} {v:8.1f} s  {100*v/dt:5.1f} %")
print("total", round(100*tot/dt,1), "%")
