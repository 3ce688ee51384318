"""Why the platforms' trading results differ: each difference attributed to its cause, from the figures.

The thresholds below decide when two figures count as equal; the report states the sentences.
"""

from __future__ import annotations

from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.metrics.execution_cost import STALE_QUOTE_SPACINGS
from evaluator.analysis.numbers import BPS_PER_PERCENT, fmt
from shared_signals.config import NANOS_PER_MINUTE, NANOS_PER_MS
from shared_signals.risk import RiskRule

RETURN_MATCH_PP = 0.005
"""Gross returns this close (percentage points: half a basis point of capital) to the reference count
as equal; the sentence gives both figures to four decimals, so it never reads as a contradiction of
the table."""
FEE_RATE_MATCH_BPS = 0.01
"""Fee rates (fees over volume) this close count as the same fee model: then fees differ only by
volume, which the attribution splits by signal."""
FILL_DELAY_MATCH_S = 1e-9
"""Venue fill delays this close count as the same venue model."""


def results_causes(evaluation: Evaluation) -> list[str]:
    """One sentence per cause: each platform against its reference, then fees and fill timing between them."""
    metrics = evaluation.platforms
    lines = []
    for name, m in metrics.items():
        own, reference = m.trading.gross_return_pct, m.reference_trading.gross_return_pct
        gap = own - reference
        if abs(gap) <= RETURN_MATCH_PP:
            lines.append(
                f"{name}'s gross return ({fmt(own, 4)}%) is within {fmt(RETURN_MATCH_PP * BPS_PER_PERCENT, 1)} bps of the "
                f"reference replay's with its own venue model ({fmt(reference, 4)}%): its execution added nothing of its own."
            )
        else:
            lines.append(f"{name}'s gross return differs from its reference by {fmt(gap, 4)} pp: see execution accuracy for the trades that differ.")
    if len(metrics) == 2:
        (a, ma), (b, mb) = metrics.items()
        rate = {n: (100 * m.trading.fees / m.trading.volume if m.trading.volume else 0.0) for n, m in metrics.items()}
        if abs(rate[a] - rate[b]) * BPS_PER_PERCENT > FEE_RATE_MATCH_BPS:
            lines.append(
                f"Fees: {a} paid {fmt(ma.trading.fees)} USDT ({fmt(rate[a], 3)}% of volume), {b} {fmt(mb.trading.fees)} USDT "
                f"({fmt(rate[b], 3)}%): the venues' fee models differ."
            )
        if abs(ma.fill_delay_s - mb.fill_delay_s) > FILL_DELAY_MATCH_S:
            lines.append(
                f"Fill timing: {a}'s market orders fill {fmt(ma.fill_delay_s, 3)} s of market time after the decision, {b}'s "
                f"{fmt(mb.fill_delay_s, 3)} s (the venue's delay and, for a platform that acts on its clock, the tick): fills "
                "happen at different quotes, so prices and gross returns differ."
            )
    for name, m in metrics.items():
        held = m.stability.rejections_by_kind.get(RiskRule.STALE_QUOTE, 0)
        if held:
            lines.append(
                f"Closed market: {name} decided {held} time(s) on a quote older than the shared limit "
                "(`risk.max_quote_age_s`: a closed market), and the shared risk gate sent no order against it: it acts "
                "on its clock's ticks between quotes, a platform that acts on quote arrivals never meets such a quote; "
                "the same rule binds both."
            )
        if m.execution_cost.stale_fills:
            lines.append(
                f"Closed market: {name} filled {m.execution_cost.stale_fills} order(s) on the last quote before a gap in the "
                f"data (older than {STALE_QUOTE_SPACINGS} quote intervals; the oldest "
                f"{fmt(m.execution_cost.oldest_quote_ms * NANOS_PER_MS / NANOS_PER_MINUTE, 1)} min): it acts on its "
                "clock's ticks with the quote still in the book, where a platform that acts on quote arrivals waits for "
                "the market to reopen."
            )
    return lines
