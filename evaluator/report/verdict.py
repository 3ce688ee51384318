"""The verdict in words: the recommendation, why, where another column is better, the confidence
sentence, the ties and what each column's latency costs and risks. Every sentence is built here from
the verdict's and the pairs' facts: a difference is called settled only when its facts say so, with
its threshold beside it."""

from __future__ import annotations

import math

import pandas as pd

from evaluator.analysis.columns import Figures
from evaluator.analysis.confidence import Difference, Figure, Judgement, Resampling
from evaluator.analysis.doubts import Doubt, DoubtKind
from evaluator.analysis.metrics.stability import Halt
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.analysis.pairs import PairFigures
from evaluator.analysis.verdict import SUBJECTIVE, TIE, TRADING_RESULTS, Decisive, PairTie, TieReason, Unscored, Verdict
from evaluator.report.numbers import fmt, level_words
from evaluator.settings import EvaluationSettings

FIGURE_WORDS = {
    Figure.LATENCY_COST: "latency cost per trade (the signals' alpha decay over each column's scored delay)",
    Figure.P99_FILL: "p99 signal → fill, processing (wall clock)",
    Figure.RETURN_GAP: "gross return's distance from the ideal reference's (every signal, one column's alone included)",
    Figure.EXECUTION_COST: "execution cost per signal both filled (mean, fees included)",
    Figure.FILLED_AS_DECIDED: "share filled as decided",
    Figure.CPU_PER_KEVENT: "CPU seconds per 1,000 events (quotes and signals handled)",
}
UNIT_NOUNS = {
    Figure.LATENCY_COST: "signals",
    Figure.RETURN_GAP: "signal periods",
    Figure.P99_FILL: "fills",
    Figure.EXECUTION_COST: "signals",
    Figure.FILLED_AS_DECIDED: "signals",
    Figure.CPU_PER_KEVENT: "samples",
}
"""What a difference's units are, for the words that count them."""
RESAMPLING_WORDS = {
    Resampling.PAIRED: "by signal, paired",
    Resampling.APART: "each column apart",
    Resampling.PERIODS: "by signal period, with the ideal reference",
    Resampling.BLOCKS: "moving blocks of samples",
}
UNSCORED_WORDS = {
    Unscored.LIVE_THROUGHPUT: "in live mode throughput is set by --speed, not by the platform (use a replay or poc-eval scale)",
    Unscored.NO_LATENCY: "no fill to time, or no signal the ideal reference traded with a quote in force to measure its decay",
    Unscored.NO_COMPLEXITY: "the run recorded no complexity figures",
    Unscored.NO_RUBRIC: "a column's platform has no row in future_potential.toml",
}
FORMULAS = {
    "latency": "10 × clamp(1 − latency cost per trade / ({latency_cost_worst_fee_share:g} × the fee)), the cost being the signals' alpha decay over the column's scored delay (replay: median signal → fill market time; live: median real-time delay from the signal's scheduled availability to its fill) (the mean move in each signal's direction from its own time); a column scores the baseline's tie group's mean when their paired difference is within noise or within {material_fee_share:g} of the fee",
    "execution_accuracy": "10 × share of the signals the column sent orders for that it filled as decided (side and quantity); what its decision time costs against the reference is shown, not scored",
    "stability": "10 − {crash_penalty:g}×crashed − {error_penalty:g}×errors − {heartbeat_gap_penalty:g}×heartbeat gaps, floored at 0",
    "resources": "10 × mean(1 − peak RSS / {rss_worst_mb:g} MB, 1 − CPU seconds per 1,000 events / {cpu_worst_s_per_kevent:g})",
    "scalability": "10 × clamp(log(quotes/s / {throughput_worst_per_s:g}) / log({throughput_best_per_s:g} / {throughput_worst_per_s:g}))",
    "trading_results": "10 × (1 − |gross return − the ideal reference's| / {return_gap_worst_bps:g} bps of capital), clamped; the ideal reference (no fill delay, the run's fee) is the same for every column; a column scores the baseline's tie group's mean when the difference of their distances, resampled by signal period, is within noise or within the gap that moves this score by the tie band",
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


def has_interval(d: Difference) -> bool:
    """An interval worth printing: measured, on at least the units its level needs."""
    return d.measured and d.judgement != Judgement.UNSCORED


def interval_words(d: Difference) -> str:
    interval = f"{level_words(d.level)} interval [{d.low:+.3g}, {d.high:+.3g}]" if has_interval(d) else "no interval"
    return (f"{FIGURE_WORDS[d.figure]}: {d.first} − {d.second} = {d.difference:+.3g} {d.unit}, {interval}, threshold "
            f"±{d.threshold:.3g} {d.unit}")


def judgement_words(d: Difference) -> str:
    """What the difference's facts say it settles, in the report's words."""
    if d.judgement == Judgement.UNSCORED:
        noun = UNIT_NOUNS[d.figure]
        return (f"unscored: {fmt(d.units[0])} and {fmt(d.units[1])} {noun}, fewer than the {fmt(d.min_units)} an interval "
                "at its level needs")
    if d.judgement == Judgement.UNMEASURED:
        return "not enough data"
    if d.judgement == Judgement.WITHIN_NOISE:
        return "the interval contains zero: within noise"
    if d.judgement == Judgement.IMMATERIAL:
        return "outside noise, but its size is within the threshold: immaterial"
    return "the interval excludes zero and its size is beyond the threshold: settled"


def tie_words(tie: PairTie) -> str | None:
    """Why ``tie.second`` and the baseline tie in the category; None for an exact zero within noise
    (nothing to say)."""
    d = tie.difference
    if d is None or (d.difference == 0.0 and tie.reason != TieReason.UNSCORED):
        return None
    what = (f"resources' CPU half is a tie between {d.first} and {d.second} (both score their mean CPU seconds per "
            "1,000 events; peak RSS is scored as measured)" if d.category == "resources"
            else f"{category_words(d.category)} is a tie between {d.first} and {d.second}")
    return f"{what}: {interval_words(d)}; {judgement_words(d)}"


def latency_words(pair: PairFigures, figures: Figures) -> str | None:
    """What each column's delay costs a trade (the decay) and risks (the expected absolute move)."""
    a, b = (figures.columns[n] for n in pair.names)
    if any(math.isnan(m.latency_cost_bps) for m in (a, b)):
        return None
    costs = ", ".join(f"{m.name} {m.latency_cost_bps:+.2f} bps at {m.latency_score_delay_s:g} s" for m in (a, b))
    risks = ", ".join(f"{m.name} {fmt(m.latency_risk_bps)} bps" for m in (a, b))
    delay = ("median real-time delay from the signal's scheduled availability to its fill (a live run: its speed changes "
             "nothing)" if a.real_to_fill.count or b.real_to_fill.count else "median signal → fill market time")
    return (f"latency between {pair.first} and {pair.second}: cost per trade, the signals' alpha decay over each "
            f"column's {delay} ({fmt(figures.market.decay_signals)} signals the ideal reference "
            f"traded), {costs}; risk, not a cost: the mid's expected absolute move over the same delay "
            f"(volatility {fmt(figures.market.volatility)} bps/√s), {risks}")


SHOWN_GAP_BPS = 0.005
"""A gap to the ideal reference smaller than this (bps of capital) prints as zero: no sentence."""


def return_gap_words(pair: PairFigures, figures: Figures) -> str | None:
    """Which way each column's gross return lies from the ideal reference's, and the closed-market fills
    among the trades behind it: the score reads the distance only."""
    ideal = figures.ideal_trading
    if ideal is None:
        return None
    columns = [figures.columns[n] for n in pair.names]
    gaps = [(m.trading.gross_return_pct - ideal.gross_return_pct) * BPS_PER_PERCENT for m in columns]
    if max(abs(g) for g in gaps) < SHOWN_GAP_BPS:
        return None
    sides = ", ".join(f"{m.name} {g:+.2f} bps of capital ({'above' if g > 0 else 'below'} it; net PnL {fmt(m.trading.pnl)} USDT)"
                      if abs(g) >= SHOWN_GAP_BPS else f"{m.name} at it (net PnL {fmt(m.trading.pnl)} USDT)"
                      for m, g in zip(columns, gaps, strict=True))
    closed = [f"{m.name}'s {fmt(m.execution_cost.gap_fills.count)} fill(s) into a closed market" for m in columns
              if m.execution_cost.gap_fills is not None and m.execution_cost.gap_fills.count]
    among = f"; {' and '.join(closed)} are among the trades that differ (see why the results differ)" if closed else ""
    return (f"trading results between {pair.first} and {pair.second}: gross return against the ideal reference's "
            f"({fmt(ideal.gross_return_pct, 4)}%): {sides}. The score reads the distance either way: a gain the ideal "
            f"execution of the same signals did not make counts against a column as a shortfall does{among}")


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
    notes = [line for line in (*(latency_words(p, figures) for p in pairs), *(return_gap_words(p, figures) for p in pairs),
                               *(tie_words(t) for t in verdict.ties)) if line]
    notes = list(dict.fromkeys(notes))
    if verdict.recommended == TIE:
        return [f"no measured winner: overall {scores_words(verdict.overall)}, within the ±{settings.scoring.ties_within:g} "
                "tie band", measured_words(verdict), *notes], run_caveats(verdict, figures)
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
    reasons += [decisive_words(d, rec, settings.scoring.ties_within, figures) for d in verdict.decisive]
    if verdict.measured_winner != rec:
        reasons.insert(0, measured_words(verdict) + ": the lead rests on the subjective rubric")
    return reasons, caveats + run_caveats(verdict, figures)


def decisive_words(d: Decisive, recommended: str, ties_within: float, figures: Figures) -> str:
    """What the recommendation rests on: the category whose tie alone would change it, and for trading
    results the closes at their own price among its causes (the order type of an exit, not execution)."""
    outcome = (f"within the ±{ties_within:g} tie band, no measured winner" if d.recommended == TIE
               else f"in favour of {d.recommended}")
    line = (f"the recommendation of {recommended} turns on {category_words(d.category)}: were the columns tied there alone, "
            f"the overall scores would be {scores_words(d.overall)}, {outcome}")
    if d.category != TRADING_RESULTS:
        return line
    forgone = {n: sum(row.forgone for row in m.exits.by_cause) for n, m in figures.columns.items()
               if n != recommended and m.exits is not None}
    named = [f"{n}'s closes at their own price forwent {fmt(v)} USDT against the touch" for n, v in forgone.items() if v > 0]
    return line + (f"; among the causes of the gap: {' and '.join(named)} (see Trading results: why the results differ)"
                   if named else " (see Trading results: why the results differ)")


def run_caveats(verdict: Verdict, figures: Figures) -> list[str]:
    """What limits every figure of a column (a crash, a stop, a tripped kill switch), and the categories
    not scored."""
    caveats = []
    for name, m in figures.columns.items():
        if m.stability.crashed:
            caveats.append(f"{name} crashed (exit code {m.stability.exit_code}): its figures cover the run up to the crash")
        elif m.stability.stopped_by_user:
            caveats.append(f"{name} was stopped by the user: its figures cover the run up to then")
        elif not m.stability.completed:
            caveats.append(f"{name} did not finish its run: its figures are incomplete")
        if m.stability.halt is not None:
            caveats.append(halt_words(name, m.stability.halt))
    return caveats + [f"{category_words(c)} not scored: {UNSCORED_WORDS[why]}" for c, why in verdict.unscored.items()]


def halt_words(name: str, halt: Halt) -> str:
    stamp = lambda ns: pd.Timestamp(ns, tz="UTC").strftime("%a %Y-%m-%d %H:%M")  # noqa: E731 - one format
    last = "it had filled nothing" if halt.last_fill_ns is None else f"its last fill at {stamp(halt.last_fill_ns)} UTC"
    closed = "" if halt.closed_ns is None else f", closed the open position at {stamp(halt.closed_ns)} UTC,"
    return (f"{name}'s kill switch tripped at {stamp(halt.tripped_ns)} UTC{closed} and refused {fmt(halt.refused)} order(s) after it, "
            f"to the run's end at {stamp(halt.end_ns)} ({last}): its trading results cover the run up to then. The switch "
            "watches the strategy's equity (the sizing capital plus what the paper account made since the start, its "
            "starting base inventory marked at the mid: `risk.max_daily_loss_fraction`, `risk.max_drawdown_fraction`)")


def settled_words(d: Difference) -> str:
    """A settled difference with the facts that settle it: its size beside its threshold, its interval."""
    return (f"{FIGURE_WORDS[d.figure]} over {_other(d)} ({d.difference:+.3g} {d.unit}, beyond its ±{d.threshold:.3g} "
            f"{d.unit} threshold; interval [{d.low:+.3g}, {d.high:+.3g}] excludes zero)")


def confidence_words(verdict: Verdict) -> str:
    """One sentence: the measured differences that carry the recommendation, or that none does."""
    found = verdict.differences
    if not found or verdict.withheld:
        return ""
    basis = f"({level_words(found[0].level)} bootstrap intervals, resampled by signal or signal period with the pair kept, where both columns have them)"
    carrying = verdict.carrying
    rec = verdict.recommended
    if rec == TIE or not carrying:
        head = "No measured winner" if rec == TIE else f"{rec} leads on unmeasured or rubric categories only"
        settled = verdict.settled
        if not settled:
            return (f"{head}: of the measured differences, none settles its category (none has an interval that excludes "
                    f"zero and a size beyond its threshold) {basis}.")
        named = "; ".join(f"for {d.better}, {settled_words(d)}" for d in settled)
        return f"{head}: of the measured differences, only these settle their category: {named} {basis}."
    named = " and ".join(settled_words(d) for d in carrying)
    against = ", ".join(f"{FIGURE_WORDS[d.figure]} ({d.better})" for d in verdict.against)
    return f"{rec}, on {named} {basis}" + (f"; against it: {against}." if against else ".")


def _other(d: Difference) -> str:
    return d.second if d.better == d.first else d.first
