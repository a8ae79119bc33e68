import sys, re, collections
# caller-thread ("main") samples with no Parallel.run frame: grouped by the first frame in our code
cnt = collections.Counter(); top=collections.Counter(); total = 0; out=0
frames=None; thread=None
for line in sys.stdin:
    if 'jdk.ExecutionSample' in line:
        frames = []; thread=None
    elif frames is not None and 'sampledThread' in line:
        thread = line
    elif frames is not None and 'line:' in line:
        m = re.search(r'^\s+(.*?)\s+line: (\d+)', line)
        if m: frames.append(m.group(1).split('(')[0] + ':' + m.group(2))
    elif frames is not None and line.strip() == '}':
        if frames and thread and '"main"' in thread:
            total += 1
            if not any('tensor.cpu.Parallel' in f for f in frames):
                out += 1
                d = int(sys.argv[1]) if len(sys.argv)>1 else 3
                cnt[' < '.join(frames[:d])] += 1
                ours=[f for f in frames if f.startswith('dev.mp3')]
                top[ours[0] if ours else frames[0]] += 1
        frames = None
print("main samples", total, "outside Parallel.run", out)
for k, v in top.most_common(25): print(f"{100*v/total:5.1f}% {k}")
print('---')
for k, v in cnt.most_common(25): print(f"{100*v/total:5.1f}% {k}")
