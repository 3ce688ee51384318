"""Why the columns' trading results differ, in words, from the analysis' causes."""

from __future__ import annotations

from evaluator.analysis.causes import Causes
from evaluator.analysis.metrics.execution_cost import STALE_QUOTE_SPACINGS
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.report.numbers import fmt
from shared_signals.config import NANOS_PER_MINUTE, NANOS_PER_MS


def cause_lines(causes: Causes) -> list[str]:
    """One sentence per cause: each column against its reference, then fees and fill timing between pairs,
    then a closed market."""
    lines = []
    for gap in causes.references:
        if gap.matches:
            lines.append(
                f"{gap.column}'s gross return ({fmt(gap.own_pct, 4)}%) is within {fmt(gap.within * BPS_PER_PERCENT, 1)} bps of "
                f"the reference replay's with its own venue model ({fmt(gap.reference_pct, 4)}%): its execution added "
                "nothing of its own."
            )
        else:
            lines.append(f"{gap.column}'s gross return differs from its reference by {fmt(gap.own_pct - gap.reference_pct, 4)} pp: "
                         "see execution accuracy for the trades that differ.")
    for rates in causes.fee_rates:
        lines.append(
            f"Fees: {rates.first} paid {fmt(rates.fees[0])} USDT ({fmt(rates.rate_pct[0], 3)}% of volume), {rates.second} "
            f"{fmt(rates.fees[1])} USDT ({fmt(rates.rate_pct[1], 3)}%): the venues' fee models differ."
        )
    for delays in causes.fill_delays:
        lines.append(
            f"Fill timing: {delays.first}'s market orders fill {fmt(delays.delay_s[0], 3)} s of market time after the decision, "
            f"{delays.second}'s {fmt(delays.delay_s[1], 3)} s (the venue's delay and, for a platform that acts on its clock, "
            "the tick): fills happen at different quotes, so prices and gross returns differ."
        )
    for closed in causes.closed_markets:
        if closed.refusals:
            lines.append(
                f"Closed market: {closed.column} decided {closed.refusals} time(s) on a quote older than the shared limit "
                "(`risk.max_quote_age_s`: a closed market), and the shared risk gate sent no order against it: it acts "
                "on its clock's ticks between quotes, a platform that acts on quote arrivals never meets such a quote; "
                "the same rule binds every column."
            )
        if closed.gap_fills:
            lines.append(
                f"Closed market: {closed.column} filled {closed.gap_fills} order(s) on the last quote before a gap in the data "
                f"(older than {STALE_QUOTE_SPACINGS} quote intervals; the oldest "
                f"{fmt(closed.oldest_quote_ms * NANOS_PER_MS / NANOS_PER_MINUTE, 1)} min): it acts on its clock's ticks with "
                "the quote still in the book, where a platform that acts on quote arrivals waits for the market to reopen."
            )
    return lines
