"""POCEvaluator: a 0-10 score per category by a stated formula, weights from the settings, a winner
per category and an overall recommendation with its reasons."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from evaluator.analysis.confidence import Difference, differences, recommendation_figures
from evaluator.analysis.evaluation import Evaluation, PlatformMetrics
from evaluator.analysis.metrics.materiality import latency_cost_bps, volatility_bps_per_sqrt_s
from evaluator.analysis.metrics.trading import TradingResults
from evaluator.analysis.numbers import BPS_PER_PERCENT, level_words
from evaluator.settings import EvaluationSettings, ScoringParams
from shared_signals.config import MS_PER_SECOND

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
    differences: list[Difference] = field(default_factory=list)
    """The figures the recommendation rests on, each difference with its interval."""
    confidence: str = ""
    """One sentence: how sure the recommendation is, or that there is no measured winner."""


FORMULAS = {
    "latency": "10 × clamp(1 − expected latency cost per trade / ({latency_cost_worst_fee_share:g} × the fee)), the cost being the mid's expected move over the median signal → fill market time; both score their mean (a tie) when the costs differ by less than {material_fee_share:g} of the fee",
    "execution_accuracy": "10 × share of the signals the platform sent orders for that it filled as decided (side and quantity); what its decision time costs against the reference is shown, not scored",
    "stability": "10 − {crash_penalty:g}×crashed − {error_penalty:g}×errors − {heartbeat_gap_penalty:g}×heartbeat gaps, floored at 0",
    "resources": "10 × mean(1 − peak RSS / {rss_worst_mb:g} MB, 1 − mean CPU / {cpu_worst_pct:g}%)",
    "scalability": "10 × clamp(log(quotes/s / {throughput_worst_per_s:g}) / log({throughput_best_per_s:g} / {throughput_worst_per_s:g}))",
    "trading_results": "10 × (1 − |gross return − the ideal reference's| / {return_gap_worst_bps:g} bps of capital), clamped; the ideal reference (no fill delay, the run's fee) is the same for every platform",
    "complexity": "10 × mean(1 − SLOC/{sloc_worst:g}, 1 − mean CC/{cc_mean_worst:g}, 1 − touch-points/{touch_points_worst:g}, 1 − setup steps/{setup_steps_worst:g})",
    "future_potential": "mean of the subjective rubric (future_potential.toml)",
}


FEE_FLOOR_BPS = 1.0
"""The fee the latency score and its materiality are measured against is at least this: with no fee
(``--fee-bps 0``) a latency cost still has a scale."""


@dataclass(frozen=True)
class LatencyCosts:
    """What each platform's signal → fill delay is expected to cost a trade (see ``materiality``)."""

    volatility: float
    """The mid's volatility, bps per √second, from the run's marks."""
    fee_bps: float
    """The scale the costs are judged against: the run's fee, ``FEE_FLOOR_BPS`` at least."""
    delay_s: dict[str, float]
    """Per platform, the median signal → fill market time."""

    def cost_bps(self, platform: str) -> float:
        return latency_cost_bps(self.delay_s[platform], self.volatility)

    @property
    def measured(self) -> bool:
        return not any(math.isnan(self.cost_bps(n)) for n in self.delay_s)


def latency_costs(evaluation: Evaluation) -> LatencyCosts:
    return LatencyCosts(
        volatility_bps_per_sqrt_s(evaluation.run.marks), max(evaluation.run.spec.venue.fee_bps, FEE_FLOOR_BPS),
        {n: m.market_to_fill.p50_ms / MS_PER_SECOND for n, m in evaluation.platforms.items()},
    )


def category_scores(
    m: PlatformMetrics, p: ScoringParams, future: float, ideal: TradingResults | None, latency: LatencyCosts, cpu_pct: float
) -> dict[str, float]:
    """``ideal``: the ideal reference's results (none in a run recorded before it was written: then
    the platform's own reference); ``latency``: the expected latency costs and the fee; ``cpu_pct``:
    the mean CPU the score uses (both platforms' mean when their difference settles nothing)."""
    target = (ideal or m.reference_trading).gross_return_pct
    stability = MAX_SCORE - p.crash_penalty * m.stability.crashed - p.error_penalty * m.stability.errors - p.heartbeat_gap_penalty * (m.stability.heartbeat_gaps or 0)
    c = m.complexity
    return {
        "latency": MAX_SCORE * _clamp01(1 - latency.cost_bps(m.name) / (p.latency_cost_worst_fee_share * latency.fee_bps)),
        "execution_accuracy": MAX_SCORE * _clamp01(m.accuracy.decided_share),
        "stability": max(0.0, stability),
        "resources": MAX_SCORE * (_clamp01(1 - m.resources.peak_rss_mb / p.rss_worst_mb) + _clamp01(1 - cpu_pct / p.cpu_worst_pct)) / 2.0,
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
        latency = latency_costs(evaluation)
        found = self._differences(evaluation, latency)
        unsettled = {d.category: d for d in found if d.category and d.measured and not d.settled}
        latency_note, material = self._latency_materiality(latency)
        per_platform = self._scores(evaluation, latency, unsettled, material)
        names = list(per_platform)
        unscored = self._unscored(evaluation, latency)
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
            return Verdict(categories, overall, recommended, [f"no recommendation: {', '.join(why)}"], [], found)
        notes = ([latency_note] if latency_note else []) + [noise_words(d) for d in unsettled.values() if d.difference != 0.0]
        reasons, caveats = self._reasons(evaluation, categories, overall, recommended, notes, unscored)
        return Verdict(categories, overall, recommended, reasons, caveats, found, confidence_words(recommended, found))

    def _reasons(
        self, evaluation: Evaluation, categories: list[CategoryScore], overall: dict[str, float], recommended: str,
        notes: list[str], unscored: dict[str, str],
    ) -> tuple[list[str], list[str]]:
        """Why the recommendation (or the tie), then where the other platform is better or data is missing."""
        measured = self._overall([c for c in categories if c.category not in SUBJECTIVE], list(overall))
        if recommended == TIE:
            return [self._tie_words(overall), self._measured_words(measured), *notes], []
        reasons, caveats = self._explain(categories, recommended, evaluation)
        reasons += notes
        if self._winner(measured) != recommended:
            reasons.insert(0, self._measured_words(measured) + ": the lead rests on the subjective rubric")
        caveats += [f"{category.replace('_', ' ')} not scored: {why}" for category, why in unscored.items()]
        return reasons, caveats

    def _scores(
        self, evaluation: Evaluation, latency: LatencyCosts, unsettled: dict[str, Difference], latency_material: bool
    ) -> dict[str, dict[str, float]]:
        """Each platform's category scores; a category whose difference is noise or cannot change a
        trade moves nothing: both score its mean (for resources, the mean CPU: peak RSS is its own figure)."""
        cpu = {name: m.resources.mean_cpu_pct for name, m in evaluation.platforms.items()}
        if "resources" in unsettled:
            cpu = dict.fromkeys(cpu, sum(cpu.values()) / len(cpu))
        per_platform = {
            name: category_scores(m, self.settings.scoring, self.settings.future.mean(name), evaluation.ideal_trading, latency, cpu[name])
            for name, m in evaluation.platforms.items()
        }
        tied = {c for c in unsettled if c != "resources"} | (set() if latency_material else {"latency"})
        for category in tied:
            mean = sum(s[category] for s in per_platform.values()) / len(per_platform)
            for scores in per_platform.values():
                scores[category] = mean
        return per_platform

    def _differences(self, evaluation: Evaluation, latency: LatencyCosts) -> list[Difference]:
        params, confidence = self.settings.scoring, self.settings.confidence
        figures = recommendation_figures(latency.volatility, latency.fee_bps, params.material_fee_share, params.ties_within,
                                         params.cpu_worst_pct)
        return differences(evaluation, figures, confidence.level, confidence.bootstrap_resamples, confidence.bootstrap_seed)

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

    def _latency_materiality(self, latency: LatencyCosts) -> tuple[str | None, bool]:
        """Whether the latency difference can change a trade, and the sentence saying so with the
        figures and what would change it (none with fewer than two platforms or no costs)."""
        if len(latency.delay_s) < 2 or not latency.measured:
            return None, True
        costs = {n: latency.cost_bps(n) for n in latency.delay_s}
        share = self.settings.scoring.material_fee_share
        threshold = share * latency.fee_bps
        slow = max(latency.delay_s, key=latency.delay_s.get)
        spread = max(costs.values()) - min(costs.values())
        figures = ", ".join(f"{n} {costs[n]:.2f} bps at {latency.delay_s[n]:g} s" for n in costs)
        lever = (f"at a tenth of {slow}'s delay ({latency.delay_s[slow] / 10:g} s) it would cost "
                 f"{latency_cost_bps(latency.delay_s[slow] / 10, latency.volatility):.2f} bps")
        basis = f"expected cost per trade {figures} (mid volatility {latency.volatility:.2f} bps/√s)"
        if spread <= threshold:
            return (f"latency is not material: {basis}; they differ by {spread:.2f} bps, within {threshold:.2f} bps "
                    f"({share:g} of the {latency.fee_bps:g} bps fee); {lever}"), False
        return f"latency is material: {basis}, {spread:.2f} bps apart, more than {threshold:.2f} bps; {lever}", True

    @staticmethod
    def _unscored(evaluation: Evaluation, latency: LatencyCosts) -> dict[str, str]:
        """Categories whose figures this run cannot compare, with the reason; left out of the overall."""
        unscored = {}
        if evaluation.run.spec.mode == "live":
            unscored["scalability"] = "in live mode throughput is set by --speed, not by the platform (use a replay or poc-eval scale)"
        if not latency.measured:
            unscored["latency"] = "no fill to time, or no mark prices to measure the mid's volatility"
        return unscored

    def _winner(self, scores: dict[str, float]) -> str:
        if len(scores) < 2:
            return next(iter(scores), NO_RECOMMENDATION)
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


def interval_words(d: Difference) -> str:
    return (f"{d.figure}: {d.first} − {d.second} = {d.difference:+.3g} {d.unit}, {level_words(d.level)} interval "
            f"[{d.low:+.3g}, {d.high:+.3g}]")


def noise_words(d: Difference) -> str:
    """Why a category with an interval is a tie."""
    why = "contains zero: within noise" if d.within_noise else f"lies within ±{d.threshold:.3g} {d.unit}: immaterial"
    what = "resources' CPU half is a tie (both score the mean CPU; peak RSS is scored as measured)" if d.category == "resources" \
        else f"{d.category.replace('_', ' ')} is a tie"
    return f"{what}: {interval_words(d)} {why}"


def confidence_words(recommended: str, found: list[Difference]) -> str:
    """One sentence: the measured differences that carry the recommendation, or that none does."""
    settled = [d for d in found if d.category and d.better is not None]
    basis = f"({level_words(found[0].level)} bootstrap intervals over the run's signals, fills and samples)" if found else ""
    carrying = [d.figure for d in settled if d.better == recommended]
    if recommended == TIE or not carrying:
        head = "No measured winner" if recommended == TIE else f"{recommended} leads on unmeasured or rubric categories only"
        others = ", ".join(f"{d.figure} ({d.better})" for d in settled)
        found_words = f"only {others} is material and outside noise" if others else "none is both material and outside noise"
        return f"{head}: of the measured differences, {found_words} {basis}."
    each = "each material and outside noise" if len(carrying) > 1 else "material and outside noise"
    against = [d.figure for d in settled if d.better != recommended]
    return f"{recommended}, on {' and '.join(carrying)}: {each} {basis}" + (f"; against it: {', '.join(against)}." if against else ".")
