import re, sys, collections
top = collections.Counter(); phase = collections.Counter(); incl = collections.Counter()
cur = []; n = 0
def flush():
    global n
    if not cur: return
    n += 1
    f0 = cur[0]
    top[f0] += 1
    seen = set()
    for f in cur:
        key = re.sub(r'\(.*', '', f)
        if key in seen: continue
        seen.add(key); incl[key] += 1
    s = ' '.join(cur)
    for p, name in [('Evaluation', 'eval'), ('PositionAccuracy', 'posacc'), ('backward', 'backward'), ('Batches', 'batches'), ('Augment', 'augment')]:
        if p in s: phase[name] += 1
for line in open('samples.txt'):
    line = line.strip()
    if line.startswith('jdk.ExecutionSample'):
        flush(); cur = []
    elif re.match(r'^[\w$.]+\.[\w$<>]+\(', line):
        cur.append(re.sub(r'\s+line:.*', '', line))
flush()
print('samples', n)
for k, v in top.most_common(35): print(f'{100*v/n:5.1f}% {k[:150]}')
print('--- phases'); 
for k, v in phase.most_common(): print(f'{100*v/n:5.1f}% {k}')
print('--- inclusive')
for k, v in incl.most_common(70): print(f'{100*v/n:5.1f}% {k[:150]}')
