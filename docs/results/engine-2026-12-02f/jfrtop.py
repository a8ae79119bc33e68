import sys, re, collections
# usage: jfr print --events jdk.ExecutionSample x.jfr | python3 jfrtop.py [depth]
depth = int(sys.argv[1]) if len(sys.argv) > 1 else 1
cnt = collections.Counter(); total = 0
frames = None
for line in sys.stdin:
    if 'jdk.ExecutionSample' in line:
        frames = []
    elif frames is not None and 'line:' in line:
        m = re.search(r'^\s+(.*?)\s+line: (\d+)', line)
        if m: frames.append(m.group(1).split('(')[0] + ':' + m.group(2))
    elif frames is not None and line.strip() == '}':
        if frames:
            cnt[' < '.join(frames[:depth])] += 1; total += 1
        frames = None
for k, v in cnt.most_common(30):
    print(f"{100*v/total:5.1f}% {k}")
print("samples", total)
