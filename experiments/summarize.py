#!/usr/bin/env python3
"""The tables of experiments/fashion-mnist-10pct.sh: test accuracy mean +- std over seeds (sample
standard deviation, n - 1), each seed's value, and position accuracy per test eta (Figure 3).

Usage: python3 experiments/summarize.py OUT_DIR    (standard library only)
"""
import json
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "runs/fashion-mnist-10pct")
seeds = sorted(p for p in out.glob("seed*") if p.is_dir())
if not seeds:
    sys.exit(f"summarize: no seed*/ folders in {out}; run experiments/fashion-mnist-10pct.sh {out} first")

budget = out / "budget.txt"
if budget.exists():
    print("```\n" + budget.read_text().strip() + "\n```\n")

rows = [("MP3 + finetuning", "abs", "finetune-abs"), ("MP3 + finetuning", "none", "finetune-none"),
        ("supervised, equal updates", "abs", "supervised-abs"), ("supervised, equal updates", "none", "supervised-none"),
        ("supervised, until validation stops improving", "abs", "plateau-abs"),
        ("supervised, until validation stops improving", "none", "plateau-none")]
print("| Method | PE | test accuracy, mean ± std | per seed | updates |")
print("|---|---|---|---|---|")
for method, pe, run in rows:
    values = []
    updates = []
    for s in seeds:
        metrics = s / run / "metrics.json"
        if metrics.exists():
            m = json.loads(metrics.read_text())
            values.append(100 * m["test_accuracy"])
            if "updates" in m:
                updates.append(str(m["updates"]) + (f" (best after epoch {m['best_epoch']})" if "best_epoch" in m else ""))
    if not values:
        continue
    std = statistics.stdev(values) if len(values) > 1 else float("nan")
    each = ", ".join(f"{v:.2f}" for v in values)
    print(f"| {method} | {pe} | {statistics.mean(values):.2f} ± {std:.2f} % (n = {len(values)}) | {each} | "
          + (", ".join(updates) if updates else "see budget") + " |")

print()
curves = {}
for s in seeds:
    for eta in ("0.75", "0"):
        f = s / f"pretrain-eta{eta}" / "position-accuracy.json"
        if f.exists():
            curves.setdefault(eta, []).append((s.name, json.loads(f.read_text())))
if curves:
    print("Position accuracy on the test split (Figure 3): mean ± std over seeds of all patches / non-blank patches\n")
    etas = [eta for eta in ("0.75", "0") if eta in curves]
    print("| test eta | " + " | ".join(f"pretrained at eta = {eta} (n = {len(curves[eta])})" for eta in etas) + " |")
    print("|---" * (len(etas) + 1) + "|")
    first = curves[etas[0]][0][1]
    for i, row in enumerate(first):
        cells = []
        for eta in etas:
            every = [100 * rows[i]["accuracy"] for _, rows in curves[eta]]
            blank = [100 * rows[i]["accuracy_non_blank"] for _, rows in curves[eta]]
            sd = lambda v: statistics.stdev(v) if len(v) > 1 else float("nan")
            cells.append(f"{statistics.mean(every):.1f} ± {sd(every):.1f} % / {statistics.mean(blank):.1f} ± {sd(blank):.1f} %")
        print(f"| {row['test_eta']:.2f} | " + " | ".join(cells) + " |")
