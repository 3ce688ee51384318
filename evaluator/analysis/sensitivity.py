"""Whether the recommendation belongs to the platforms or to a harness setting: the comparison again
with each setting of ``run-both --sensitivity`` at its other value, each a verdict of its own.

A setting's columns ran after the comparison's, several at once on the same cores; what they cost the
machine (CPU, memory, wall-clock throughput) is taken from the column each stands in for, measured
alone, so a verdict moves with the setting and not with the crowd."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from evaluator.analysis.columns import Figures
from evaluator.analysis.confidence import Difference, Figure, Judgement
from evaluator.analysis.run_folder import RunFolder
from evaluator.analysis.verdict import Verdict
from shared_signals.contract.record import Alternative


CROWDED = frozenset({Figure.P99_FILL})
"""Figures of the wall clock of the run's own processes: a setting's columns ran several at once, so
such a figure moves with the crowd, and a setting's row leaves it out (CPU, memory and throughput are
taken from the column each stands in for)."""


@dataclass(frozen=True)
class SettingOutcome:
    key: str
    value: str
    columns: dict[str, str]
    """Per column of the comparison, the column that stood in its place (itself when not rerun)."""
    unchanged: tuple[str, ...]
    """Columns the setting cannot change, kept from the comparison."""
    recommended: str
    """A column of the comparison (named as in the comparison), or the verdict's TIE or NO_RECOMMENDATION."""
    overall: dict[str, float]
    """Per column of the comparison."""
    scores: dict[str, dict[str, float]]
    """Per category, per column of the comparison."""
    holds: bool
    """The comparison's recommendation is this one's."""
    settled: list[Difference]
    """The differences this setting's verdict found beyond noise and their threshold, scored or shown
    (but for :data:`CROWDED` figures), named by the comparison's columns: what moved even where the
    scores did not (a venue's fee)."""
    net_pnl: dict[str, float]
    """Per column of the comparison, the net PnL of the column in its place (quote currency)."""


Judge = Callable[[RunFolder], tuple[Figures, Verdict]]


def setting_outcomes(run: RunFolder, figures: Figures, verdict: Verdict, judge: Judge) -> list[SettingOutcome]:
    """Each alternative's verdict (``judge`` of the run seen with its columns in place of the
    comparison's), named by the comparison's columns."""
    compared = list(run.record.compared)
    return [_outcome(run, compared, alternative, (figures, verdict), judge) for alternative in run.record.sensitivity]


def _outcome(run: RunFolder, compared: list[str], alternative: Alternative, comparison: tuple[Figures, Verdict],
             judge: Judge) -> SettingOutcome:
    in_place = dict(alternative.columns)
    names = [in_place.get(n, n) for n in compared]
    back = dict(zip(names, compared, strict=True))
    baseline = in_place.get(run.record.baseline, run.record.baseline)
    verdict = comparison[1]
    if in_place:
        figures, seen = judge(run.with_machine_of({alt: original for original, alt in alternative.columns}).select(names, baseline))
    else:  # the setting can change no column: the comparison's own verdict is its verdict
        figures, seen = comparison
    recommended = back.get(seen.recommended, seen.recommended)
    settled = [replace(d, first=back.get(d.first, d.first), second=back.get(d.second, d.second))
               for d in seen.differences if d.judgement == Judgement.SETTLED and d.figure not in CROWDED]
    return SettingOutcome(alternative.key, alternative.value, {n: in_place.get(n, n) for n in compared}, alternative.unchanged,
                          recommended, {back[n]: s for n, s in seen.overall.items()},
                          {c.category: {back[n]: s for n, s in c.scores.items()} for c in seen.categories},
                          recommended == verdict.recommended, settled,
                          {back[n]: m.trading.pnl for n, m in figures.columns.items()})
