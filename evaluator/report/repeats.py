"""``repeats.md`` and ``repeats.json``: the figures of repeated runs, median and range, side by side."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from evaluator.analysis.repeats import Repeats
from evaluator.report.figures import fmt, table

REPEATS_MD = "repeats.md"
REPEATS_JSON = "repeats.json"


def render_repeats(summary: Repeats, folders: list[Path]) -> str:
    rows = [[f.figure, f.platform, fmt(f.median, 3), f"[{fmt(f.low, 3)}, {fmt(f.high, 3)}]", ", ".join(fmt(v, 3) for v in f.values)]
            for f in summary.figures]
    recommended = ", ".join(f"{name}: {count}" for name, count in summary.recommended.items())
    settled = [[s.figure, ", ".join(fmt(d, 3) for d in s.differences), f"[{fmt(s.low, 3)}, {fmt(s.high, 3)}]",
                ", ".join(f"{name} {count}" for name, count in s.favours.items()) or "none", str(s.runs)]
               for s in summary.settled]
    return "\n\n".join([
        f"# {summary.runs} repeated runs of the same comparison",
        f"**Confidence.** {summary.confidence}",
        f"Recommendation per run: {recommended}.",
        "Each figure's median across the runs and its range (lowest to highest), then each run's value in order.",
        table(["figure", "platform", "median", "range across runs", "per run"], rows),
        "Each difference the recommendation uses, per run (first platform minus second), a bootstrap interval on its "
        "median resampling the runs, and the runs whose own interval settled it (material and outside noise), by the "
        "platform it favoured:",
        table(["difference", "per run", "interval on the median across runs", "settled for", "runs"], settled)
        if settled else "No differences recorded.",
        "Each run's own report: " + ", ".join(f"[{folder}]({folder}/report.md)" for folder in folders),
    ]) + "\n"


def write_repeats(root: Path, summary: Repeats, folders: list[Path]) -> None:
    (root / REPEATS_MD).write_text(render_repeats(summary, folders), encoding="utf-8")
    document = {**asdict(summary), "confidence": summary.confidence,
                "figures": [{**asdict(f), "median": f.median, "low": f.low, "high": f.high} for f in summary.figures]}
    (root / REPEATS_JSON).write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
