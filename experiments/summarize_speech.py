#!/usr/bin/env python3
"""The tables of experiments/speech.sh: keyword test accuracy mean +- std over seeds (sample standard
deviation, n - 1) and each seed's value for the supervised Transformer, MP3 + finetuning, the
equal-total-updates supervised control and TC-ResNet8 (Table 5), MP3's position accuracy, and the
pretraining-length sweep (Table 6) over the seeds that ran each length. Also reads the layout of
experiments/speech-longer.sh (finetune-0/ is a speech-train run, finetune-N/ speech-finetune runs).

Also reads experiments/speech-pretrain-length.sh's layout (seedS/pretrain/ with its snapshots,
finetune-P/, tc-resnet8-total/). Several OUT_DIRs are read as one experiment: a seed's runs are
gathered from every seedS/ folder of that name (e.g. the supervised runs of one script and the MP3
runs of another).

Usage: python3 experiments/summarize_speech.py OUT_DIR [OUT_DIR ...]    (standard library only)
"""
import json
import re
import statistics
import sys
from pathlib import Path

outs = [Path(a) for a in sys.argv[1:]] or [Path("runs/speech")]


class Seed:
    """One seed's folders (seedS/ under each OUT_DIR), read as one: glob() over all of them, and
    path / name the first that exists."""

    def __init__(self, name, dirs):
        self.name, self.dirs = name, dirs

    def glob(self, pattern):
        return [p for d in self.dirs for p in sorted(d.glob(pattern))]

    def __truediv__(self, name):
        return next((d / name for d in self.dirs if (d / name).exists()), self.dirs[0] / name)


found = {}
for o in outs:
    for p in o.glob("seed*"):
        if p.is_dir():
            found.setdefault(p.name, []).append(p)
seeds = sorted((Seed(n, d) for n, d in found.items()), key=lambda s: int(s.name[4:]))
if not seeds:
    sys.exit(f"summarize_speech: no seed*/ folders in {' '.join(map(str, outs))}; run experiments/speech.sh first")


def sweep_log_rows(log):
    """Rows of a speech-sweep stopped before it wrote metrics.json, from its output (sweep.log)."""
    rows, n, pos = {}, None, (None, None)
    for line in log.read_text().splitlines():
        if m := re.match(r"supervised from scratch", line):
            n, pos = 0, (None, None)
        elif m := re.match(r"after (\d+) pretraining updates", line):
            n, pos = int(m.group(1)), (None, None)
        elif m := re.match(r"position accuracy on \d+ test clips \(.*?\): top-1 ([0-9.]+)%, top-5 ([0-9.]+)%", line):
            pos = (float(m.group(1)) / 100, float(m.group(2)) / 100)
        elif (m := re.match(r"\s+best validation accuracy ([0-9.]+)% \(update \d+\), test accuracy ([0-9.]+)%", line)) \
                and n is not None:
            rows[n] = {"pretrain_updates": n, "best_validation_accuracy": float(m.group(1)) / 100,
                       "test_accuracy": float(m.group(2)) / 100, "test_position_top1": pos[0],
                       "test_position_top5": pos[1]}
    return rows


def sweep(seed_dir):
    """A seed's sweep rows {pretrain_updates: row}: the newest speech-sweep report, or the rows its
    output (sweep.log) shows when it was stopped early, plus speech-finetune runs in finetune-N/."""
    # speech-sweep-STAMP/ in a run's folder, sweep/ in the copies under docs/results/
    reports = sorted(seed_dir.glob("speech-sweep-*/metrics.json")) + sorted(seed_dir.glob("sweep/metrics.json"))
    rows = {}
    if reports:
        rows = {r["pretrain_updates"]: r for r in json.loads(reports[-1].read_text())["rows"]}
    elif (seed_dir / "sweep.log").exists():
        rows = sweep_log_rows(seed_dir / "sweep.log")
    # More pretraining lengths added later by a second sweep (Table 6 at more seeds) in table6/
    for extra in sorted(seed_dir.glob("table6/speech-sweep-*/metrics.json")) + sorted(seed_dir.glob("table6/metrics.json")):
        for r in json.loads(extra.read_text())["rows"]:
            rows.setdefault(r["pretrain_updates"], r)
    for m in seed_dir.glob("finetune-*/metrics.json"):
        r = json.loads(m.read_text())
        n = int(m.parent.name.split("-")[1])
        rows[n] = {"pretrain_updates": n, "best_validation_accuracy": r["best_validation_accuracy"],
                   "test_accuracy": r["test_accuracy"], "test_position_top1": r.get("init_test_position_top1"),
                   "test_position_top5": r.get("init_test_position_top5"), "updates": r.get("updates")}
    return rows


def run(seed_dir, name):
    m = seed_dir / name / "metrics.json"
    return json.loads(m.read_text()) if m.exists() else None


def mean_std(values):
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f} (one seed)"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


for o in outs:
    if (o / "budget.txt").exists():
        print("```\n" + (o / "budget.txt").read_text().strip() + "\n```\n")

sweeps = {s.name: sweep(s) for s in seeds}
# MP3's row (Table 5), its position accuracy, per-voice and curve tables: the longest pretraining
# length that every seed has finetuned from, so that no mean mixes lengths (a length only some seeds
# have reached shows in Table 6 with its seeds).
shared = set.intersection(*(set(rows) for rows in sweeps.values())) - {0} if sweeps else set()
longest = {name: max(shared) for name in sweeps} if shared else {}
table = [
    ("Transformer (supervised)", "equal labelled updates",
     lambda s: sweeps[s.name].get(0)),
    ("Transformer + MP3", "pretraining + finetuning",
     lambda s: sweeps[s.name].get(longest.get(s.name, -1)) if longest.get(s.name, 0) > 0 else None),
    ("Transformer (supervised)", "equal total updates",
     lambda s: run(s, "supervised-total")),
    ("TC-ResNet8 (supervised)", "its own recipe, equal labelled updates",
     lambda s: run(s, "tc-resnet8")),
    ("TC-ResNet8 (supervised)", "its own recipe, equal total updates",
     lambda s: run(s, "tc-resnet8-total")),
]
print("| Model | Budget | test accuracy (%), mean ± std | per seed | best validation (%), mean ± std |")
print("|---|---|---|---|---|")
for model, budget_text, get in table:
    tests, vals, budgets = [], [], []
    for s in seeds:
        r = get(s)
        if r is not None:
            tests.append(100 * r["test_accuracy"])
            vals.append(100 * r["best_validation_accuracy"])
            if r.get("updates"):   # the updates each run made (with MP3's pretraining, where it had one)
                n = r.get("pretrain_updates", 0)
                budgets.append(f"{n:,} + {r['updates']:,}" if n else f"{r['updates']:,}")
    if tests:
        if budgets:
            budget_text += ": " + " / ".join(dict.fromkeys(budgets)) + " updates"
        print(f"| {model} | {budget_text} | {mean_std(tests)} | {', '.join(f'{v:.2f}' for v in tests)} |"
              f" {mean_std(vals)} |")
print(f"\n{len(seeds)} seed{'s' if len(seeds) != 1 else ''}: {', '.join(s.name[4:] for s in seeds)}\n")

# A finetuning run resumed before the fix of 2026-11-30 (evening) did not record its snapshot's position figures.
mp3_rows = [sweeps[s.name][longest[s.name]] for s in seeds if longest.get(s.name, 0) > 0]
mp3_rows = [r for r in mp3_rows if r.get("test_position_top1") is not None]
top1 = [100 * r["test_position_top1"] for r in mp3_rows]
top5 = [100 * r["test_position_top5"] for r in mp3_rows]
if top1:
    print(f"MP3 position prediction on the test clips (5% of frames with position), {len(top1)} seeds:"
          f" top-1 {mean_std(top1)} %, top-5 {mean_std(top5)} % (chance 1.02 % and 5.10 %;"
          f" paper on real speech: 4 % and 11 %)\n")

lengths = sorted({n for rows in sweeps.values() for n in rows})
if len(lengths) > 2:
    print("Table 6: accuracy after finetuning from different lengths of MP3 pretraining, mean ± std over the"
          " seeds with that length (position accuracy of the pretrained encoder on the test clips)")
    print()
    print("| pretraining updates | seeds | best validation (%) | test (%) | per seed test (%) | position top-1 (%) |"
          " position top-5 (%) |")
    print("|---|---|---|---|---|---|---|")
    for n in lengths:
        have = [(s.name[4:], sweeps[s.name][n]) for s in seeds if n in sweeps[s.name]]
        pick = lambda k: [100 * r[k] for _, r in have if r.get(k) is not None and r[k] == r[k]]
        print(f"| {n if n else 'none (supervised)'} | {', '.join(name for name, _ in have)} |"
              f" {mean_std(pick('best_validation_accuracy'))} | {mean_std(pick('test_accuracy'))} |"
              f" {', '.join(f'{v:.2f}' for v in pick('test_accuracy'))} |"
              f" {mean_std(pick('test_position_top1')) if n else '-'} | {mean_std(pick('test_position_top5')) if n else '-'} |")

def voices(path):
    """{voice group: accuracy %} from a speech-eval output's "by voice" section."""
    text = path.read_text()
    if "by voice" not in text:
        return {}
    out = {}
    for line in text.split("by voice", 1)[1].splitlines()[1:]:
        parts = line.rsplit("%", 1)[0].split()
        if len(parts) >= 2:
            out[" ".join(parts[:-1])] = float(parts[-1])
    return out


models = [("Transformer (supervised)", lambda s: list(s.glob("*sweep*/finetune-0.voices.txt"))
                                          + list(s.glob("finetune-0/checkpoint.voices.txt"))),
          ("Transformer + MP3", lambda s: [p for p in s.glob("*sweep*/finetune-*.voices.txt")
                                           if p.name == f"finetune-{longest.get(s.name, -1)}.voices.txt"]
                                          + list(s.glob(f"finetune-{longest.get(s.name, -1)}/checkpoint.voices.txt"))),
          ("Transformer, equal total updates", lambda s: list(s.glob("supervised-total/checkpoint.voices.txt"))),
          ("TC-ResNet8", lambda s: list(s.glob("tc-resnet8/checkpoint.voices.txt"))),
          ("TC-ResNet8, equal total updates", lambda s: list(s.glob("tc-resnet8-total/checkpoint.voices.txt")))]
rows = []
groups = []
for name, find in models:
    per_seed = [voices(p) for s in seeds for p in find(s)]
    per_seed = [v for v in per_seed if v]
    if per_seed:
        rows.append((name, per_seed))
        for g in per_seed[0]:
            if g not in groups:
                groups.append(g)
if rows:
    print("\nTest accuracy (%) per voice (speech-eval), mean over the seeds with a checkpoint:\n")
    print("| Model | seeds | " + " | ".join(groups) + " |")
    print("|---|---|" + "---|" * len(groups))
    for name, per_seed in rows:
        cells = [f"{statistics.mean(v[g] for v in per_seed):.1f}" for g in groups]
        print(f"| {name} | {len(per_seed)} | " + " | ".join(cells) + " |")


def history(path):
    """[(update, validation accuracy %)] from a run's history CSV."""
    import csv
    with path.open() as f:
        return [(int(r["update"]), 100 * float(r["validation_accuracy"])) for r in csv.DictReader(f)
                if r.get("validation_accuracy") not in (None, "", "NaN")]


curves = [("Transformer (supervised)", lambda s: list(s.glob("*sweep*/finetune-0-history.csv"))
                                          + list(s.glob("finetune-0/speech-train-history.csv"))),
          ("Transformer + MP3", lambda s: list(s.glob(f"*sweep*/finetune-{longest.get(s.name, -1)}-history.csv"))
                                          + list(s.glob(f"finetune-{longest.get(s.name, -1)}/speech-finetune-history.csv"))),
          ("Transformer, equal total updates", lambda s: list(s.glob("supervised-total/speech-train-history.csv"))),
          ("TC-ResNet8", lambda s: list(s.glob("tc-resnet8/tc-resnet8-history.csv"))),
          ("TC-ResNet8, equal total updates", lambda s: list(s.glob("tc-resnet8-total/tc-resnet8-history.csv")))]
lines = []
for name, find in curves:
    early, final = [], []
    for s in seeds:
        for p in find(s):
            h = history(p)
            if not h:
                continue
            cut = 2 * h[-1][0] // 3
            if not any(u <= cut for u, _ in h):   # too few validations to split
                continue
            early.append(max(v for u, v in h if u <= cut))
            final.append(max(v for u, v in h))
    if final:
        gains = [f - e for e, f in zip(early, final)]
        lines.append(f"| {name} | {len(final)} | {mean_std(early)} | {mean_std(final)} | {mean_std(gains)} |")
if lines:
    print("\nHas validation accuracy stopped rising? Best validation (%) within the first two thirds of each run"
          " and over the whole run (the learning rate's last step is the last third), mean ± std over seeds:\n")
    print("| Model | seeds | best in the first 2/3 | best overall | gain in the last third (points) |")
    print("|---|---|---|---|---|")
    print("\n".join(lines))


def pretraining(path):
    """{update: (train loss, validation position top-1 %)} from a pretraining history CSV."""
    import csv
    with path.open() as f:
        return {int(r["update"]): (float(r["train_loss"]), 100 * float(r["validation_position_top1"]))
                for r in csv.DictReader(f)}


runs = [(s.name[4:], pretraining(p)) for s in seeds for p in s.glob("pretrain/pretrain-history.csv")]
if runs:
    print("\nMP3 pretraining (speech-pretrain, seedS/pretrain/): position top-1 (%) on the validation clips and the"
          " training loss along the run, mean ± std over seeds (chance: top-1 1.02 %, loss ln 98 = 4.585)\n")
    print("| update | seeds | validation position top-1 (%) | training loss (mean of the interval) |")
    print("|---|---|---|---|")
    for u in sorted({u for _, h in runs for u in h}):
        have = [h[u] for _, h in runs if u in h]
        loss = [x for x, _ in have]
        loss_text = (f"{statistics.mean(loss):.4f} ± {statistics.stdev(loss):.4f}" if len(loss) > 1
                     else f"{loss[0]:.4f}")
        print(f"| {u} | {len(have)} | {mean_std([t for _, t in have])} | {loss_text} |")
    ends = [run(s, "pretrain") for s in seeds]
    ends = [m for m in ends if m]
    if ends:
        print(f"\nAt the end ({len(ends)} seeds), on the test clips: position top-1"
              f" {mean_std([100 * m['test_position_top1'] for m in ends])} %, top-5"
              f" {mean_std([100 * m['test_position_top5'] for m in ends])} %")
