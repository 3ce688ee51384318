"""``sweep_report.md`` and its heat map: which column each cell recommends, ranked per instrument and per
setting, the differences that settled each cell, and the cells that failed with their one line."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from evaluator.analysis.sweep import SweepFacts  # noqa: E402
from evaluator.report.figures import table  # noqa: E402
from evaluator.report.numbers import fmt  # noqa: E402

SWEEP_REPORT = "sweep_report.md"
HEATMAP_PNG = "sweep_heatmap.png"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
NO_WINNER_COLOUR, FAILED_COLOUR = "#dddddd", "#888888"
RECOMMENDATION_WORDS = {"tie": "no measured winner", "none": "no recommendation (a journal in doubt)"}


def write_sweep_report(sweep: Path, facts: SweepFacts, grid_path: Path, interrupted: bool) -> Path:
    """Writes the report and its heat map into ``sweep``; returns the report's path."""
    heatmap(facts, sweep / HEATMAP_PNG)
    (sweep / SWEEP_REPORT).write_text(markdown(facts, grid_path, interrupted))
    return sweep / SWEEP_REPORT


def _recommended(value: str | None) -> str:
    return "failed" if value is None else RECOMMENDATION_WORDS.get(value, value)


def markdown(facts: SweepFacts, grid_path: Path, interrupted: bool) -> str:
    done = [c for c in facts.cells if c.status == "done"]
    parts = [f"# Sweep of {grid_path.name}",
             f"{fmt(len(done))} of {fmt(len(facts.cells))} cell(s) finished, {fmt(len(facts.failed))} failed"
             + (" (interrupted: the cells still to run are not in this report)." if interrupted else ".")]
    parts.append("## Recommendation by setting\n\nEach row: the cells with that value, how often each column was "
                 "recommended, and each column's mean overall score (0-10) over them.\n\n" + table(
                     ["axis", "value", "cells", "recommended", "mean overall"],
                     [[r.axis, r.value, fmt(r.cells),
                       ", ".join(f"{_recommended(k)} ×{n}" for k, n in sorted(r.recommended.items(), key=lambda kv: -kv[1])) or "—",
                       ", ".join(f"{k} {v:.2f}" for k, v in r.mean_overall.items()) or "—"]
                      for r in facts.rankings]))
    parts.append(f"![recommendation across the grid]({HEATMAP_PNG})")
    parts.append("## Cells\n\n" + table(
        ["cell", "settings", "recommended", "overall", "settled differences"],
        [[c.cell, ", ".join(f"{k}={v}" for k, v in c.settings.items()),
          _recommended(c.recommended), ", ".join(f"{k} {v:.2f}" for k, v in c.overall.items()) or "—",
          "; ".join(f"{figure.replace('_', ' ')} favours {better}" for figure, better in c.settled) or "none"]
         for c in facts.cells]))
    if facts.failed:
        parts.append("## Failed cells\n\n" + "\n".join(f"- {c.cell} ({', '.join(f'{k}={v}' for k, v in c.settings.items())}): "
                                                          f"{c.error}" for c in facts.failed))
    return "\n\n".join(parts) + "\n"


def heatmap(facts: SweepFacts, path: Path) -> None:
    """Rows: instruments; columns: the other settings' combinations; each cell coloured by what it
    recommends, and named."""
    rows = list(dict.fromkeys(c.settings["instrument"] for c in facts.cells))
    others = [a for a in facts.axes if a != "instrument"]

    def key(c) -> str:
        return ", ".join(f"{a}={c.settings[a]}" for a in others) or "the run"

    columns = list(dict.fromkeys(key(c) for c in facts.cells))
    names = sorted({c.recommended for c in facts.cells if c.recommended not in (None, "tie", "none")})
    colours = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    fig, ax = plt.subplots(figsize=(max(4.0, 1.6 * len(columns) + 2), max(2.0, 0.6 * len(rows) + 1.5)))
    for c in facts.cells:
        x, y = columns.index(key(c)), rows.index(c.settings["instrument"])
        colour = FAILED_COLOUR if c.recommended is None else colours.get(c.recommended, NO_WINNER_COLOUR)
        ax.add_patch(plt.Rectangle((x, y), 1, 1, color=colour))
        ax.text(x + 0.5, y + 0.5, _recommended(c.recommended), ha="center", va="center", fontsize=8, wrap=True)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(0, len(rows))
    ax.set_xticks([i + 0.5 for i in range(len(columns))], columns, rotation=30, ha="right", fontsize=7)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], rows, fontsize=8)
    ax.set_title("recommended column per cell")
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
