"""The verdict in words: the recommendation, why, where another column is better, the confidence
sentence, the ties and what the latency difference can cost. Every sentence is built here from the
verdict's and the pairs' facts."""

from __future__ import annotations

from evaluator.analysis.columns import Figures
from evaluator.analysis.confidence import Difference, Figure
from evaluator.analysis.doubts import Doubt, DoubtKind
from evaluator.analysis.pairs import PairFigures
from evaluator.analysis.verdict import SUBJECTIVE, TIE, PairTie, TieReason, Unscored, Verdict
from evaluator.report.numbers import level_words
from evaluator.settings import EvaluationSettings

FIGURE_WORDS = {
    Figure.LATENCY_COST: "expected latency cost per trade (median signal → fill, market time)",
    Figure.P99_FILL: "p99 signal → fill, processing (wall clock)",
    Figure.EXECUTION_COST: "execution cost per fill (mean)",
    Figure.FILLED_AS_DECIDED: "share filled as decided",
    Figure.MEAN_CPU: "mean CPU (% of one core)",
}
UNSCORED_WORDS = {
    Unscored.LIVE_THROUGHPUT: "in live mode throughput is set by --speed, not by the platform (use a replay or poc-eval scale)",
    Unscored.NO_LATENCY: "no fill to time, or no mark prices to measure the mid's volatility",
    Unscored.NO_COMPLEXITY: "the run recorded no complexity figures",
    Unscored.NO_RUBRIC: "a column's platform has no row in future_potential.toml",
}
FORMULAS = {
    "latency": "10 × clamp(1 − expected latency cost per trade / ({latency_cost_worst_fee_share:g} × the fee)), the cost being the mid's expected move over the median signal → fill market time; a column scores the baseline's tie group's mean when their costs differ by less than {material_fee_share:g} of the fee",
    "execution_accuracy": "10 × share of the signals the column sent orders for that it filled as decided (side and quantity); what its decision time costs against the reference is shown, not scored",
    "stability": "10 − {crash_penalty:g}×crashed − {error_penalty:g}×errors − {heartbeat_gap_penalty:g}×heartbeat gaps, floored at 0",
    "resources": "10 × mean(1 − peak RSS / {rss_worst_mb:g} MB, 1 − mean CPU / {cpu_worst_pct:g}%)",
    "scalability": "10 × clamp(log(quotes/s / {throughput_worst_per_s:g}) / log({throughput_best_per_s:g} / {throughput_worst_per_s:g}))",
    "trading_results": "10 × (1 − |gross return − the ideal reference's| / {return_gap_worst_bps:g} bps of capital), clamped; the ideal reference (no fill delay, the run's fee) is the same for every column",
    "complexity": "10 × mean(1 − SLOC/{sloc_worst:g}, 1 − mean CC/{cc_mean_worst:g}, 1 − touch-points/{touch_points_worst:g}, 1 − setup steps/{setup_steps_worst:g})",
    "future_potential": "mean of the subjective rubric (future_potential.toml)",
}


def category_words(category: str) -> str:
    return category.replace("_", " ")


def recommendation_words(verdict: Verdict) -> str:
    return recommended_words(verdict.recommended)


def recommended_words(recommended: str) -> str:
    """A recommendation (a column, TIE or NO_RECOMMENDATION) in the report's words."""
    return "no measured winner" if recommended == TIE else recommended


def doubt_words(doubt: Doubt) -> str:
    if doubt.kind == DoubtKind.JOURNAL_MISSING:
        return f"{doubt.column} wrote no journal (events.jsonl)"
    if doubt.kind == DoubtKind.JOURNAL_EMPTY:
        return f"{doubt.column}'s journal holds no event"
    if doubt.kind == DoubtKind.JOURNAL_TORN:
        return f"{doubt.column}'s journal has {doubt.count} unreadable line(s)"
    return (f"{doubt.column} reported {doubt.count} {doubt.field} at the end, its journal holds {doubt.journaled} "
            f"{doubt.event} events")


def interval_words(d: Difference) -> str:
    return (f"{FIGURE_WORDS[d.figure]}: {d.first} − {d.second} = {d.difference:+.3g} {d.unit}, {level_words(d.level)} interval "
            f"[{d.low:+.3g}, {d.high:+.3g}]")


def tie_words(tie: PairTie, pairs: list[PairFigures]) -> str | None:
    """Why ``tie.second`` and the baseline tie in the category; None for an exact zero (nothing to say)."""
    if tie.reason == TieReason.NOT_MATERIAL:
        pair = next(p for p in pairs if p.second == tie.second)
        return latency_words(pair)
    d = tie.difference
    if d is None or d.difference == 0.0:
        return None
    why = "contains zero: within noise" if tie.reason == TieReason.NOISE else f"lies within ±{d.threshold:.3g} {d.unit}: immaterial"
    what = (f"resources' CPU half is a tie between {d.first} and {d.second} (both score their mean CPU; peak RSS is "
            "scored as measured)" if d.category == "resources"
            else f"{category_words(d.category)} is a tie between {d.first} and {d.second}")
    return f"{what}: {interval_words(d)} {why}"


def latency_words(pair: PairFigures) -> str | None:
    """Whether the pair's latency difference can change a trade, with the figures and what would change it."""
    lat = pair.latency
    if lat is None:
        return None
    costs = ", ".join(f"{n} {c:.2f} bps at {s:g} s" for n, c, s in zip(pair.names, lat.cost_bps, lat.delay_s, strict=True))
    lever = f"at a tenth of {lat.slower}'s delay ({lat.lever_delay_s:g} s) it would cost {lat.lever_cost_bps:.2f} bps"
    basis = f"expected cost per trade {costs} (mid volatility {lat.volatility:.2f} bps/√s)"
    if not lat.material:
        return (f"latency is not material between {pair.first} and {pair.second}: {basis}; they differ by {lat.spread_bps:.2f} "
                f"bps, within {lat.threshold_bps:.2f} bps; {lever}")
    return (f"latency is material between {pair.first} and {pair.second}: {basis}, {lat.spread_bps:.2f} bps apart, more than "
            f"{lat.threshold_bps:.2f} bps; {lever}")


def scores_words(scores: dict[str, float]) -> str:
    return ", ".join(f"{n} {v:.2f}" for n, v in scores.items())


def measured_words(verdict: Verdict) -> str:
    winner = verdict.measured_winner
    favour = "a tie" if winner == TIE else f"in favour of {winner}"
    return (f"the measured categories alone (all but {', '.join(category_words(c) for c in SUBJECTIVE)}): "
            f"{scores_words(verdict.measured)}, {favour}")


def reasons_and_caveats(verdict: Verdict, figures: Figures, pairs: list[PairFigures], settings: EvaluationSettings) -> tuple[list[str], list[str]]:
    """Why the recommendation (or the tie), then where another column is better or data is missing."""
    if not verdict.overall or verdict.withheld:
        why = [doubt_words(d) for d in verdict.withheld] or ["no platform ran"]
        return [f"no recommendation: {', '.join(why)}"], []
    notes = [line for line in (*(latency_words(p) for p in pairs), *(tie_words(t, pairs) for t in verdict.ties
                                                                      if t.reason != TieReason.NOT_MATERIAL)) if line]
    notes = list(dict.fromkeys(notes))
    if verdict.recommended == TIE:
        return [f"no measured winner: overall {scores_words(verdict.overall)}, within the ±{settings.scoring.ties_within:g} "
                "tie band", measured_words(verdict), *notes], []
    weights = settings.weights
    reasons, caveats = [], []
    rec = verdict.recommended
    for c in sorted(verdict.categories, key=lambda c: weights.get(c.category, 0.0), reverse=True):
        others = {k: v for k, v in c.scores.items() if k != rec}
        if not others:
            continue
        other, other_score = max(others.items(), key=lambda item: item[1])
        line = (f"{category_words(c.category)}: {rec} {c.scores[rec]:.1f} vs {other} {other_score:.1f} "
                f"(weight {weights.get(c.category, 0):.2f})")
        if c.winner == rec:
            reasons.append(line)
        elif c.winner != TIE:
            caveats.append(line)
    reasons += notes
    if verdict.measured_winner != rec:
        reasons.insert(0, measured_words(verdict) + ": the lead rests on the subjective rubric")
    for name, m in figures.columns.items():
        if m.stability.crashed:
            caveats.append(f"{name} crashed (exit code {m.stability.exit_code}): its figures cover the run up to the crash")
        elif m.stability.stopped_by_user:
            caveats.append(f"{name} was stopped by the user: its figures cover the run up to then")
        elif not m.stability.completed:
            caveats.append(f"{name} did not finish its run: its figures are incomplete")
    caveats += [f"{category_words(c)} not scored: {UNSCORED_WORDS[why]}" for c, why in verdict.unscored.items()]
    return reasons, caveats


def confidence_words(verdict: Verdict) -> str:
    """One sentence: the measured differences that carry the recommendation, or that none does."""
    found = verdict.differences
    if not found or verdict.withheld:
        return ""
    basis = f"({level_words(found[0].level)} bootstrap intervals over the run's signals, fills and samples)"
    carrying = verdict.carrying
    rec = verdict.recommended
    if rec == TIE or not carrying:
        head = "No measured winner" if rec == TIE else f"{rec} leads on unmeasured or rubric categories only"
        settled = verdict.settled
        others = "; ".join(f"{FIGURE_WORDS[d.figure]} ({d.better} over {_other(d)})" for d in settled)
        verb = "are" if len(settled) > 1 else "is"
        found_words = f"only {others} {verb} material and outside noise" if others else "none is both material and outside noise"
        return f"{head}: of the measured differences, {found_words} {basis}."
    each = "each material and outside noise" if len(carrying) > 1 else "material and outside noise"
    named = " and ".join(f"{FIGURE_WORDS[d.figure]} over {_other(d)}" for d in carrying)
    against = ", ".join(f"{FIGURE_WORDS[d.figure]} ({d.better})" for d in verdict.against)
    return f"{rec}, on {named}: {each} {basis}" + (f"; against it: {against}." if against else ".")


def _other(d: Difference) -> str:
    return d.second if d.better == d.first else d.first
