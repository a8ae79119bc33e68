import re, collections
events = []  # (time, stack)
cur = None; t = None
for line in open('samples.txt'):
    s = line.strip()
    if s.startswith('jdk.ExecutionSample'):
        if cur is not None: events.append((t, cur))
        cur = []; t = None
    elif s.startswith('startTime'):
        t = s.split('=')[1].strip()
    elif re.match(r'^[\w$.]+\.[\w$<>]+\(', s):
        cur.append(re.sub(r'\(.*', '', s).replace('dev.mp3.', ''))
if cur is not None: events.append((t, cur))
# boundary: first event whose stack contains ImageClassification
b = next(i for i, (t, st) in enumerate(events) if any('ImageClassification' in f for f in st))
print('boundary at', events[b][0], 'index', b, 'of', len(events))
for name, part in (('pretrain', events[:b]), ('finetune', events[b:])):
    c = collections.Counter(st[0] for t, st in part if st)
    n = len(part)
    print('==', name, n)
    for k, v in c.most_common(22): print(f'{100*v/n:5.1f}% {k}')
