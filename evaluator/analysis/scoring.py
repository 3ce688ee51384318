"""POCEvaluator: a 0-10 score per category by a stated formula, weights from the settings, a winner
per category and an overall recommendation with its reasons."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from evaluator.analysis.evaluation import Evaluation, PlatformMetrics
from evaluator.analysis.metrics.trading import TradingResults
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.settings import EvaluationSettings, ScoringParams

MAX_SCORE = 10.0


def _clamp01(value: float) -> float:
    return 0.0 if math.isnan(value) else max(0.0, min(1.0, value))


def _log_scale(value: float, good: float, bad: float) -> float:
    """1 at ``good``, 0 at ``bad``, linear in log(value) between (either direction)."""
    if math.isnan(value) or value <= 0:
        return 0.0 if good > bad else 1.0
    return _clamp01((math.log(value) - math.log(bad)) / (math.log(good) - math.log(bad)))


@dataclass(frozen=True)
class CategoryScore:
    category: str
    formula: str
    scores: dict[str, float]
    winner: str
    """A platform name, or 'tie'."""


NO_RECOMMENDATION = "none"
"""``Verdict.recommended`` when the figures cannot carry one (a platform's journal is in doubt)."""
TIE = "tie"
"""A category's winner, or ``Verdict.recommended``, when the scores are within ``ties_within``: no
measured winner."""
SUBJECTIVE = ("future_potential",)
"""Categories scored from a rubric, not measured: a recommendation says when it rests on them."""


@dataclass(frozen=True)
class Verdict:
    categories: list[CategoryScore]
    overall: dict[str, float]
    recommended: str
    reasons: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


FORMULAS = {
    "latency": "10 × clamp(log(worst / p99) / log(worst / best)), p99 signal→order in ms; best {latency_best_ms:g} ms, worst {latency_worst_ms:g} ms",
    "execution_accuracy": "10 × (share of actionable signals executed as intended + share of position checks matching) / 2",
    "stability": "10 − {crash_penalty:g}×crashed − {error_penalty:g}×errors − {heartbeat_gap_penalty:g}×heartbeat gaps, floored at 0",
    "resources": "10 × mean(1 − peak RSS / {rss_worst_mb:g} MB, 1 − mean CPU / {cpu_worst_pct:g}%)",
    "scalability": "10 × clamp(log(quotes/s / {throughput_worst_per_s:g}) / log({throughput_best_per_s:g} / {throughput_worst_per_s:g}))",
    "trading_results": "10 × (1 − |gross return − the ideal reference's| / {return_gap_worst_bps:g} bps of capital), clamped; the ideal reference (no fill delay, the run's fee) is the same for every platform",
    "complexity": "10 × mean(1 − SLOC/{sloc_worst:g}, 1 − mean CC/{cc_mean_worst:g}, 1 − touch-points/{touch_points_worst:g}, 1 − setup steps/{setup_steps_worst:g})",
    "future_potential": "mean of the subjective rubric (future_potential.toml)",
}


def category_scores(m: PlatformMetrics, p: ScoringParams, future: float, ideal: TradingResults | None) -> dict[str, float]:
    """``ideal``: the ideal reference's results (none in a run recorded before it was written: then
    the platform's own reference)."""
    target = (ideal or m.reference_trading).gross_return_pct
    stability = MAX_SCORE - p.crash_penalty * m.stability.crashed - p.error_penalty * m.stability.errors - p.heartbeat_gap_penalty * m.stability.heartbeat_gaps
    c = m.complexity
    return {
        "latency": MAX_SCORE * _log_scale(m.latency_to_order.p99_ms, p.latency_best_ms, p.latency_worst_ms),
        "execution_accuracy": MAX_SCORE * (_clamp01(m.accuracy.share) + _clamp01(m.accuracy.position_share)) / 2.0,
        "stability": max(0.0, stability),
        "resources": MAX_SCORE * (_clamp01(1 - m.resources.peak_rss_mb / p.rss_worst_mb) + _clamp01(1 - m.resources.mean_cpu_pct / p.cpu_worst_pct)) / 2.0,
        "scalability": MAX_SCORE * _log_scale(m.scalability.quotes_per_s, p.throughput_best_per_s, p.throughput_worst_per_s),
        "trading_results": MAX_SCORE * _clamp01(1 - abs(m.trading.gross_return_pct - target) * BPS_PER_PERCENT / p.return_gap_worst_bps),
        "complexity": MAX_SCORE * sum(
            _clamp01(1 - value / worst)
            for value, worst in (
                (c.sloc, p.sloc_worst), (c.cc_mean, p.cc_mean_worst),
                (c.platform_names + c.platform_calls, p.touch_points_worst), (c.setup_steps, p.setup_steps_worst),
            )
        ) / 4.0,
        "future_potential": future,
    }


class POCEvaluator:
    """Turns an :class:`Evaluation` into scores and a recommendation."""

    def __init__(self, settings: EvaluationSettings) -> None:
        self.settings = settings

    def verdict(self, evaluation: Evaluation) -> Verdict:
        params = self.settings.scoring
        per_platform = {
            name: category_scores(m, params, self.settings.future.mean(name), evaluation.ideal_trading)
            for name, m in evaluation.platforms.items()
        }
        names = list(per_platform)
        unscored = self._unscored(evaluation)
        categories = []
        for category, template in FORMULAS.items():
            if category in unscored:
                continue
            scores = {name: round(per_platform[name][category], 2) for name in names}
            categories.append(CategoryScore(category, template.format(**vars(params)), scores, self._winner(scores)))
        overall = self._overall(categories, names)
        withheld = [d.detail for m in evaluation.platforms.values() for d in m.doubts]
        recommended = self._winner(overall) if overall and not withheld else NO_RECOMMENDATION
        if recommended == NO_RECOMMENDATION:
            why = withheld or ["no platform ran"]
            return Verdict(categories, overall, recommended, [f"no recommendation: {', '.join(why)}"], [])
        measured = self._overall([c for c in categories if c.category not in SUBJECTIVE], names)
        if recommended == TIE:
            return Verdict(categories, overall, TIE, [self._tie_words(overall), self._measured_words(measured)], [])
        reasons, caveats = self._explain(categories, recommended, evaluation)
        if self._winner(measured) != recommended:
            reasons.insert(0, self._measured_words(measured) + ": the lead rests on the subjective rubric")
        caveats += [f"{category.replace('_', ' ')} not scored: {why}" for category, why in unscored.items()]
        return Verdict(categories, overall, recommended, reasons, caveats)

    def _overall(self, categories: list[CategoryScore], names: list[str]) -> dict[str, float]:
        weights = self.settings.weights
        total = sum(weights.get(c.category, 0.0) for c in categories) or 1.0
        return {name: round(sum(weights.get(c.category, 0.0) * c.scores[name] for c in categories) / total, 2) for name in names}

    def _tie_words(self, overall: dict[str, float]) -> str:
        scores = ", ".join(f"{n} {v:.2f}" for n, v in overall.items())
        return f"no measured winner: overall {scores}, within the ±{self.settings.scoring.ties_within:g} tie band"

    def _measured_words(self, measured: dict[str, float]) -> str:
        scores = ", ".join(f"{n} {v:.2f}" for n, v in measured.items())
        winner = self._winner(measured)
        verdict = "a tie" if winner == TIE else f"in favour of {winner}"
        return f"the measured categories alone (all but {', '.join(c.replace('_', ' ') for c in SUBJECTIVE)}): {scores}, {verdict}"

    @staticmethod
    def _unscored(evaluation: Evaluation) -> dict[str, str]:
        """Categories whose figures this run cannot compare, with the reason; left out of the overall."""
        if evaluation.run.spec.mode == "live":
            return {"scalability": "in live mode throughput is set by --speed, not by the platform (use a replay or poc-eval scale)"}
        return {}

    def _winner(self, scores: dict[str, float]) -> str:
        if len(scores) < 2:
            return next(iter(scores), "none")
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return TIE if ranked[0][1] - ranked[1][1] <= self.settings.scoring.ties_within else ranked[0][0]

    def _explain(self, categories: list[CategoryScore], recommended: str, evaluation: Evaluation) -> tuple[list[str], list[str]]:
        weights = self.settings.weights
        reasons, caveats = [], []
        ordered = sorted(categories, key=lambda c: weights.get(c.category, 0.0), reverse=True)
        for c in ordered:
            others = {k: v for k, v in c.scores.items() if k != recommended}
            if not others:
                continue
            other, other_score = max(others.items(), key=lambda item: item[1])
            line = f"{c.category.replace('_', ' ')}: {recommended} {c.scores[recommended]:.1f} vs {other} {other_score:.1f} (weight {weights.get(c.category, 0):.2f})"
            if c.winner == recommended:
                reasons.append(line)
            elif c.winner != TIE:
                caveats.append(line)
        for name, m in evaluation.platforms.items():
            if m.stability.crashed:
                caveats.append(f"{name} crashed (exit code {m.stability.exit_code}): its figures cover the run up to the crash")
            elif m.stability.stopped_by_user:
                caveats.append(f"{name} was stopped by the user: its figures cover the run up to then")
            elif not m.stability.completed:
                caveats.append(f"{name} did not finish its run: its figures are incomplete")
        return reasons, caveats
