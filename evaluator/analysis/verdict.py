"""The fourth stage of the report's pipeline: a 0-10 score per category and column by a stated formula,
weights from the settings, a winner per category and an overall recommendation, as facts.

A category whose difference between a column and the baseline is noise, immaterial (within its
threshold, whatever its interval) or unscored (too few samples) moves nothing between them: every
column tied with the baseline there scores their mean. The recommendation ranks the columns; a lead within ``ties_within`` names no winner.
The report words all of it (``evaluator.report.verdict``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from evaluator.analysis.columns import ColumnFigures, Figures
from evaluator.analysis.confidence import Difference, Judgement
from evaluator.analysis.doubts import Doubt
from evaluator.analysis.metrics.trading import TradingResults
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.analysis.pairs import PairFigures
from evaluator.settings import EvaluationSettings, ScoringParams

MAX_SCORE = 10.0
NO_RECOMMENDATION = "none"
"""``Verdict.recommended`` when the figures cannot carry one (a column's journal is in doubt)."""
TIE = "tie"
"""A category's winner, or ``Verdict.recommended``, when the top two scores are within ``ties_within``:
no measured winner."""
CATEGORIES = ("latency", "execution_accuracy", "stability", "resources", "scalability", "trading_results", "complexity",
              "future_potential")
SUBJECTIVE = ("future_potential",)
"""Categories scored from a rubric, not measured: a recommendation says when it rests on them."""
RESOURCES = "resources"
TRADING_RESULTS = "trading_results"


class TieReason(StrEnum):
    NOISE = "noise"
    """The difference's interval contains zero."""
    IMMATERIAL = "immaterial"
    """Its size is within the threshold, whatever its interval."""
    UNSCORED = "unscored"
    """Fewer units than the figure's stated minimum (CPU samples)."""


TIE_REASONS = {Judgement.WITHIN_NOISE: TieReason.NOISE, Judgement.IMMATERIAL: TieReason.IMMATERIAL,
               Judgement.UNSCORED: TieReason.UNSCORED}


@dataclass(frozen=True)
class PairTie:
    """A category in which ``second`` is tied with ``first`` (the baseline)."""

    first: str
    second: str
    category: str
    reason: TieReason
    difference: Difference | None = None
    """The difference behind it."""


class Unscored(StrEnum):
    LIVE_THROUGHPUT = "live_throughput"
    """In live mode throughput is set by ``--speed``, not by the platform."""
    NO_LATENCY = "no_latency"
    """No fill to time, or no signal the ideal reference traded with a quote in force to measure its decay."""
    NO_COMPLEXITY = "no_complexity"
    """The run recorded no complexity figures."""
    NO_RUBRIC = "no_rubric"
    """A column's platform has no row in the rubric."""


@dataclass(frozen=True)
class CategoryScore:
    category: str
    scores: dict[str, float]
    winner: str
    """A column name, or :data:`TIE`."""


@dataclass(frozen=True)
class Decisive:
    """A category the recommendation rests on: with every column scored their mean in it (tied), the
    overall scores would name another winner or none."""

    category: str
    overall: dict[str, float]
    """The overall scores with this category tied."""
    recommended: str
    """What they would recommend: another column or :data:`TIE`."""


@dataclass(frozen=True)
class Verdict:
    categories: list[CategoryScore]
    overall: dict[str, float]
    measured: dict[str, float]
    """The overall score of the measured categories alone (the rubric left out)."""
    recommended: str
    """A column, :data:`TIE` or :data:`NO_RECOMMENDATION`."""
    measured_winner: str
    ties: list[PairTie] = field(default_factory=list)
    unscored: dict[str, Unscored] = field(default_factory=dict)
    withheld: list[Doubt] = field(default_factory=list)
    """Why there is no recommendation (every doubt of every column)."""
    differences: list[Difference] = field(default_factory=list)
    """The figures the recommendation rests on, of every pair, each with its interval."""
    decisive: list[Decisive] = field(default_factory=list)
    """Each category whose tie alone would change the recommendation (none when it is a tie already)."""

    @property
    def settled(self) -> list[Difference]:
        """Differences of scored figures whose interval excludes zero and whose size is beyond the threshold."""
        return [d for d in self.differences if d.category and d.better is not None]

    @property
    def carrying(self) -> list[Difference]:
        return [d for d in self.settled if d.better == self.recommended]

    @property
    def against(self) -> list[Difference]:
        """Settled differences favouring another column over the recommended one."""
        return [d for d in self.settled if self.recommended in (d.first, d.second) and d.better != self.recommended]


def _clamp01(value: float) -> float:
    return 0.0 if math.isnan(value) else max(0.0, min(1.0, value))


def _log_scale(value: float, good: float, bad: float) -> float:
    """1 at ``good``, 0 at ``bad``, linear in log(value) between (either direction)."""
    if math.isnan(value) or value <= 0:
        return 0.0 if good > bad else 1.0
    return _clamp01((math.log(value) - math.log(bad)) / (math.log(good) - math.log(bad)))


def category_scores(
    m: ColumnFigures, p: ScoringParams, future: float, ideal: TradingResults | None, fee_bps: float, cpu: float
) -> dict[str, float]:
    """``ideal``: the ideal reference's results (none in a run recorded before it was written: then the
    column's own reference); ``fee_bps``: the scale latency costs are judged against; ``cpu``: the CPU
    seconds per thousand events the score uses (the tied columns' mean when their difference settles
    nothing)."""
    target = (ideal or m.reference_trading).gross_return_pct
    stability = MAX_SCORE - p.crash_penalty * m.stability.crashed - p.error_penalty * m.stability.errors - p.heartbeat_gap_penalty * (m.stability.heartbeat_gaps or 0)
    scores = {
        "latency": MAX_SCORE * _clamp01(1 - m.latency_cost_bps / (p.latency_cost_worst_fee_share * fee_bps)),
        "execution_accuracy": MAX_SCORE * _clamp01(m.accuracy.decided_share),
        "stability": max(0.0, stability),
        "resources": MAX_SCORE * (_clamp01(1 - m.resources.peak_rss_mb / p.rss_worst_mb) + _clamp01(1 - cpu / p.cpu_worst_s_per_kevent)) / 2.0,
        "scalability": MAX_SCORE * _log_scale(m.scalability.quotes_per_s, p.throughput_best_per_s, p.throughput_worst_per_s),
        "trading_results": MAX_SCORE * _clamp01(1 - abs(m.trading.gross_return_pct - target) * BPS_PER_PERCENT / p.return_gap_worst_bps),
        "future_potential": future,
    }
    c = m.complexity
    if c is not None:
        scores["complexity"] = MAX_SCORE * sum(
            _clamp01(1 - value / worst)
            for value, worst in (
                (c.sloc, p.sloc_worst), (c.cc_mean, p.cc_mean_worst),
                (c.platform_names + c.platform_calls, p.touch_points_worst), (len(c.setup_steps), p.setup_steps_worst),
            )
        ) / 4.0
    return scores


def pair_ties(pairs: list[PairFigures]) -> list[PairTie]:
    """Each pair's categories that settle nothing between its two columns (an unmeasured difference
    ties nothing: each column keeps its own score)."""
    return [PairTie(pair.first, pair.second, d.category, TIE_REASONS[d.judgement], d)
            for pair in pairs for d in pair.differences if d.category and d.judgement in TIE_REASONS]


def unscored(figures: Figures, settings: EvaluationSettings, live: bool) -> dict[str, Unscored]:
    """Categories whose figures this run cannot compare, with the reason; left out of the overall."""
    found = {}
    columns = figures.columns.values()
    if live:
        found["scalability"] = Unscored.LIVE_THROUGHPUT
    if any(math.isnan(m.latency_cost_bps) for m in columns):
        found["latency"] = Unscored.NO_LATENCY
    if any(m.complexity is None for m in columns):
        found["complexity"] = Unscored.NO_COMPLEXITY
    if any(math.isnan(settings.future.mean(m.platform)) for m in columns):
        found["future_potential"] = Unscored.NO_RUBRIC
    return found


class POCEvaluator:
    """Turns the column and pair figures into scores and a recommendation."""

    def __init__(self, settings: EvaluationSettings) -> None:
        self.settings = settings

    def verdict(self, figures: Figures, pairs: list[PairFigures], live: bool, baseline: str) -> Verdict:
        ties = pair_ties(pairs)
        found = [d for pair in pairs for d in pair.differences]
        per_column = self._scores(figures, ties, baseline)
        names = list(per_column)
        skipped = unscored(figures, self.settings, live)
        categories = [
            CategoryScore(category, scores := {n: round(per_column[n][category], 2) for n in names}, self._winner(scores))
            for category in CATEGORIES if category not in skipped
        ]
        overall = self._overall(categories, names)
        measured = self._overall([c for c in categories if c.category not in SUBJECTIVE], names)
        withheld = [d for m in figures.columns.values() for d in m.doubts]
        recommended = self._winner(overall) if overall and not withheld else NO_RECOMMENDATION
        decisive = self._decisive(categories, names, recommended) if recommended not in (TIE, NO_RECOMMENDATION) else []
        return Verdict(categories, overall, measured, recommended, self._winner(measured), ties, skipped, withheld, found,
                       decisive)

    def _decisive(self, categories: list[CategoryScore], names: list[str], recommended: str) -> list[Decisive]:
        """The categories the recommendation rests on, each tried tied on its own."""
        found = []
        for i, c in enumerate(categories):
            if c.winner == TIE:
                continue
            mean = sum(c.scores.values()) / len(c.scores)
            tied = CategoryScore(c.category, dict.fromkeys(c.scores, mean), TIE)
            overall = self._overall([*categories[:i], tied, *categories[i + 1:]], names)
            winner = self._winner(overall)
            if winner != recommended:
                found.append(Decisive(c.category, overall, winner))
        return found

    def _scores(self, figures: Figures, ties: list[PairTie], baseline: str) -> dict[str, dict[str, float]]:
        """Each column's category scores; every column tied with the baseline in a category scores their
        mean (for resources, the mean CPU seconds per thousand events: peak RSS is its own figure)."""
        columns = figures.columns
        tied: dict[str, set[str]] = {}
        for tie in ties:
            tied.setdefault(tie.category, {baseline}).add(tie.second)
        cpu = {name: m.resources.cpu_s_per_kevent for name, m in columns.items()}
        group = tied.get(RESOURCES, set())
        if group:
            cpu.update(dict.fromkeys(group, sum(cpu[n] for n in group) / len(group)))
        per_column = {
            name: category_scores(m, self.settings.scoring, self.settings.future.mean(m.platform), figures.ideal_trading,
                                  figures.market.fee_bps, cpu[name])
            for name, m in columns.items()
        }
        for category, group in tied.items():
            if category == RESOURCES:
                continue
            mean = sum(per_column[n][category] for n in group) / len(group)
            for name in group:
                per_column[name][category] = mean
        return per_column

    def _overall(self, categories: list[CategoryScore], names: list[str]) -> dict[str, float]:
        weights = self.settings.weights
        total = sum(weights.get(c.category, 0.0) for c in categories) or 1.0
        return {name: round(sum(weights.get(c.category, 0.0) * c.scores[name] for c in categories) / total, 2) for name in names}

    def _winner(self, scores: dict[str, float]) -> str:
        if len(scores) < 2:
            return next(iter(scores), NO_RECOMMENDATION)
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return TIE if ranked[0][1] - ranked[1][1] <= self.settings.scoring.ties_within else ranked[0][0]
