"""``repeats.md`` and ``repeats.json``: the figures of repeated runs, median and range, side by side,
and the confidence across the runs in words."""

from __future__ import annotations

import math
from pathlib import Path

import msgspec

from evaluator.analysis.repeats import Repeats
from evaluator.analysis.summary import RepeatFigure
from evaluator.analysis.verdict import NO_RECOMMENDATION, TIE
from evaluator.report.figures import table
from evaluator.report.numbers import fmt
from evaluator.report.verdict import FIGURE_WORDS

REPEATS_MD = "repeats.md"
REPEATS_JSON = "repeats.json"
REPEATS_VERSION = 1


class FigureRow(msgspec.Struct, frozen=True, kw_only=True):
    figure: str
    column: str
    values: list[float | None]
    """One per run; None where a run had no such figure."""
    median: float | None
    low: float | None
    high: float | None


class SettledRow(msgspec.Struct, frozen=True, kw_only=True):
    figure: str
    first: str
    second: str
    scored: bool
    favours: dict[str, int]
    runs: int
    differences: list[float | None]
    low: float | None
    high: float | None


class RepeatsDocument(msgspec.Struct, frozen=True, kw_only=True):
    """``repeats.json``: what ``repeats.md`` shows, as data."""

    schema_version: int = REPEATS_VERSION
    runs: int
    recommended: dict[str, int]
    confidence: str
    figures: list[FigureRow]
    settled: list[SettledRow]
    reports: list[str]


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def repeats_document(summary: Repeats, folders: list[Path]) -> RepeatsDocument:
    return RepeatsDocument(
        runs=summary.runs, recommended=summary.recommended, confidence=confidence_words(summary),
        figures=[FigureRow(figure=f.figure, column=f.column, values=[_number(v) for v in f.values], median=_number(f.median),
                           low=_number(f.low), high=_number(f.high)) for f in summary.figures],
        settled=[SettledRow(figure=c.figure, first=c.first, second=c.second, scored=c.scored, favours=c.favours, runs=c.runs,
                            differences=[_number(d) for d in c.differences], low=_number(c.low), high=_number(c.high))
                 for c in summary.settled],
        reports=[f"{folder}/report.md" for folder in folders],
    )


def read_repeats(path: Path) -> RepeatsDocument:
    return msgspec.json.decode(path.read_bytes(), type=RepeatsDocument)
REPEAT_FIGURE_WORDS = {
    RepeatFigure.P99_FILL_MS: "p99 signal → fill, processing (ms)",
    RepeatFigure.MARKET_P50_FILL_MS: "p50 signal → fill, market time (ms)",
    RepeatFigure.EXECUTION_COST_BPS: "execution cost per fill, mean (bps)",
    RepeatFigure.FILLED_AS_DECIDED: "share filled as decided",
    RepeatFigure.MEAN_CPU_PCT: "mean CPU (% of one core)",
    RepeatFigure.CPU_S_PER_KEVENT: "CPU seconds per 1,000 events",
    RepeatFigure.PEAK_RSS_MB: "peak RSS (MB)",
    RepeatFigure.NET_PNL: "net PnL (USDT)",
    RepeatFigure.OVERALL: "overall score",
}


def confidence_words(summary: Repeats) -> str:
    """One sentence across the runs, in the words of the single-run confidence."""
    top, count = summary.top
    against = ", ".join(FIGURE_WORDS[s.figure] for s in summary.against)
    tail = f"; against it in every run: {against}" if against else ""
    carrying = summary.carrying
    if not carrying:
        who = "No column" if top in (TIE, NO_RECOMMENDATION) else top
        return (f"{who} recommended in {count} of {summary.runs} runs; no measured difference in its favour settled its "
                f"category (interval excluding zero, size beyond its threshold) in every run{tail}.")
    named = " and ".join(f"{FIGURE_WORDS[s.figure]} over {s.second if s.first == top else s.first}" for s in carrying)
    return (f"{top}, recommended in {count} of {summary.runs} runs, on {named}: settled (interval excluding zero, size "
            f"beyond its threshold) in {summary.runs} of {summary.runs} runs{tail}.")


def render_repeats(summary: Repeats, folders: list[Path]) -> str:
    rows = [[REPEAT_FIGURE_WORDS[f.figure], f.column, fmt(f.median, 3), f"[{fmt(f.low, 3)}, {fmt(f.high, 3)}]",
             ", ".join(fmt(v, 3) for v in f.values)] for f in summary.figures]
    recommended = ", ".join(f"{name}: {count}" for name, count in summary.recommended.items())
    settled = [[f"{s.first} − {s.second}", FIGURE_WORDS[s.figure], ", ".join(fmt(d, 3) for d in s.differences),
                f"[{fmt(s.low, 3)}, {fmt(s.high, 3)}]", ", ".join(f"{name} {count}" for name, count in s.favours.items()) or "none",
                str(s.runs)] for s in summary.settled]
    return "\n\n".join([
        f"# {summary.runs} repeated runs of the same comparison",
        f"**Confidence.** {confidence_words(summary)}",
        f"Recommendation per run: {recommended}.",
        "Each figure's median across the runs and its range (lowest to highest), then each run's value in order.",
        table(["figure", "column", "median", "range across runs", "per run"], rows),
        "Each difference the recommendation uses, per run (first column minus second), a bootstrap interval on its "
        "median resampling the runs, and the runs that settled it (interval excluding zero, size beyond its "
        "threshold), by the column it favoured:",
        table(["pair", "difference", "per run", "interval on the median across runs", "settled for", "runs"], settled)
        if settled else "No differences recorded.",
        "Each run's own report: " + ", ".join(f"[{folder}]({folder}/report.md)" for folder in folders),
    ]) + "\n"


def write_repeats(root: Path, summary: Repeats, folders: list[Path]) -> None:
    (root / REPEATS_MD).write_text(render_repeats(summary, folders), encoding="utf-8")
    document = msgspec.json.encode(repeats_document(summary, folders))
    (root / REPEATS_JSON).write_bytes(msgspec.json.format(document, indent=2) + b"\n")
