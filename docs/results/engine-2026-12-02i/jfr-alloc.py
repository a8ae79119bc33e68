#!/usr/bin/env python3
"""Allocation by stack in time windows, from `jfr print --events jdk.ObjectAllocationSample --stack-depth 12 X.jfr > X.txt`.

usage: jfr-alloc.py X.txt [windows=8] [top=3]
Each window: the bytes JFR's samples stand for (their weight) and the heaviest stacks (first 6 frames).
"""
import collections
import re
import sys

UNIT = {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}
text = open(sys.argv[1]).read()
windows = int(sys.argv[2]) if len(sys.argv) > 2 else 8
top = int(sys.argv[3]) if len(sys.argv) > 3 else 3
rows = []
for event in text.split('jdk.ObjectAllocationSample')[1:]:
    w = re.search(r'weight = ([\d.]+) (\w+)', event)
    t = re.search(r'startTime = (\d+):(\d+):([\d.]+)', event)
    if not w or not t:
        continue
    weight = float(w.group(1)) * UNIT.get(w.group(2), 1)
    at = int(t.group(1)) * 3600 + int(t.group(2)) * 60 + float(t.group(3))
    st = re.search(r'stackTrace = \[\s*(.*?)\n\s*\]', event, re.S)
    frames = [re.sub(r'\s+line:.*', '', f.strip()).split('(')[0] for f in st.group(1).split('\n') if f.strip()] if st else []
    rows.append((at, weight, ' < '.join(frames[:6])))
t0 = min(r[0] for r in rows)
t1 = max(r[0] for r in rows)
for i in range(windows):
    a = t0 + (t1 - t0) * i / windows
    b = t0 + (t1 - t0) * (i + 1) / windows
    by_stack = collections.Counter()
    for at, weight, stack in rows:
        if a <= at < b or (i == windows - 1 and at == t1):
            by_stack[stack] += weight
    print('window %d (%.0f-%.0f s): %.2f GB' % (i, a - t0, b - t0, sum(by_stack.values()) / 1e9))
    for stack, weight in by_stack.most_common(top):
        print('  %.0f MB  %s' % (weight / 1e6, stack[:220]))
