"""What closed each column's positions, in words and tables: closes by cause beside the reference
replay's, and where the columns' realised results part by cause. Shown when a run has barriers, or
when a column closed by anything but its signals and the end of the run."""

from __future__ import annotations

from evaluator.analysis.metrics.exits import CauseCloses, ExitCauses
from evaluator.analysis.pipeline import Analysis
from evaluator.report.figures import table
from evaluator.report.numbers import fmt
from shared_signals.contract.codes import ExitCause

ROUTINE = frozenset({ExitCause.SIGNAL, ExitCause.END_OF_RUN})
"""Causes every run has: without barriers, a table of them says nothing the trading section does not."""
CAUSE_WORDS = {
    ExitCause.SIGNAL: "a signal (flip or close)",
    ExitCause.STOP_LOSS: "stop loss",
    ExitCause.TAKE_PROFIT: "take profit",
    ExitCause.TIME_LIMIT: "time limit",
    ExitCause.TRAILING_STOP: "trailing stop",
    ExitCause.KILL_SWITCH: "kill switch",
    ExitCause.END_OF_RUN: "end of the run",
}


def _row(exits: ExitCauses | None, cause: ExitCause) -> CauseCloses | None:
    return None if exits is None else exits.of(cause)


def _count(row: CauseCloses | None) -> int:
    return 0 if row is None else row.fills


def exits_section(analysis: Analysis) -> str:
    columns = analysis.figures.columns
    met = {row.cause for m in columns.values() for e in (m.exits, m.reference_exits) if e is not None for row in e.by_cause}
    if not analysis.run.spec.core.exits.enabled and met <= ROUTINE:
        return ""
    names = analysis.names
    causes = [c for c in ExitCause if c in met]
    rows = [[CAUSE_WORDS[c], *(f"{fmt(_count(_row(columns[n].exits, c)))} ({fmt(_count(_row(columns[n].reference_exits, c)))})"
                              for n in names)] for c in causes]
    realised = [[CAUSE_WORDS[c], *(fmt(None if (r := _row(columns[n].exits, c)) is None else r.gross_pnl) for n in names)]
                for c in causes]
    differ = [f"{n} made {fmt(_count(_row(columns[n].exits, c)))} closing fill(s) by {CAUSE_WORDS[c]}, its reference replay "
              f"{fmt(_count(_row(columns[n].reference_exits, c)))}" for n in names for c in causes
              if _count(_row(columns[n].exits, c)) != _count(_row(columns[n].reference_exits, c))]
    exits = analysis.run.spec.core.exits
    barriers = ", ".join(f"{k} {v:g}" for k, v in (("stop loss", exits.stop_loss), ("take profit", exits.take_profit),
                                                    ("time limit (s)", exits.time_limit_s),
                                                    ("trailing stop arms at", exits.trailing_stop_activation),
                                                    ("trailing stop delta", exits.trailing_stop_delta)) if v is not None)
    scale = " (each price barrier a multiple of the opening signal's target_pct)" if exits.scale_by_target_pct else ""
    parts = [
        "## Exits",
        f"Barriers set: {barriers or 'none'}{scale}. Each column closes by its platform's own means (resting orders, a "
        "timer, the shared runner's decisions or the platform's own executors: see each platform's inputs above); the "
        "reference replay models the same barriers by market orders under the run's fill rule.",
        "Closing fills by cause (the reference replay's in brackets):",
        table(["closed by", *names], rows),
        "Realised by those closes against the position's average entry, before fees (USDT):",
        table(["closed by", *names], realised),
    ]
    if differ:
        parts.append("Where a column's closing fills part from its reference's (a venue may fill one close in parts):\n" + "\n".join(f"- {line}" for line in differ))
    return "\n\n".join(parts)
