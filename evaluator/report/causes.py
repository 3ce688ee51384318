"""Why the columns' trading results differ, in words, from the analysis' causes."""

from __future__ import annotations

import pandas as pd

from evaluator.analysis.causes import Causes
from evaluator.analysis.metrics.execution_cost import GapFills
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.report.exits import CAUSE_WORDS
from evaluator.report.numbers import fmt
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND

LISTED_FILLS = 5
"""Fills into a closed market named by time in the sentence; the rest are counted."""
UNITS = (("h", NANOS_PER_HOUR), ("min", NANOS_PER_MINUTE), ("s", NANOS_PER_SECOND))
"""How long the market stayed closed reads in the largest unit the longest gap fills."""


def cause_lines(causes: Causes) -> list[str]:
    """One sentence per cause: each column against its reference, then fees and fill timing between pairs,
    then a closed market."""
    lines = []
    for gap in causes.references:
        if gap.matches:
            lines.append(
                f"{gap.column}'s gross return ({fmt(gap.own_pct, 4)}%) is within {fmt(gap.within * BPS_PER_PERCENT, 1)} bps of "
                f"the reference replay's with its own venue model ({fmt(gap.reference_pct, 4)}%): what its own execution "
                "added, if anything, is within that band."
            )
        else:
            where = ("see the causes below and execution accuracy for the trades that differ" if gap.trades_differ else
                     "its signals' trades are the reference's (side and quantity, execution accuracy), so the gap is in "
                     "prices and closes: see the causes below")
            lines.append(f"{gap.column}'s gross return differs from its reference by {fmt(gap.own_pct - gap.reference_pct, 4)} pp: "
                         f"{where}.")
    for rates in causes.fee_rates:
        lines.append(
            f"Fees: {rates.first} paid {fmt(rates.fees[0])} USDT ({fmt(rates.rate_pct[0], 3)}% of volume), {rates.second} "
            f"{fmt(rates.fees[1])} USDT ({fmt(rates.rate_pct[1], 3)}%): the venues' fee models differ."
        )
    for delays in causes.fill_delays:
        lines.append(
            f"Fill timing: {delays.first}'s market orders fill {_delay_words(delays.delay_s[0], delays.measured_s[0])} of market "
            f"time after the order, {delays.second}'s {_delay_words(delays.delay_s[1], delays.measured_s[1])} (the venue's delay "
            "and, for a platform that acts on its clock, the tick): fills happen at different quotes, so prices and gross "
            "returns differ."
        )
    for closed in causes.closed_markets:
        if closed.refusals:
            lines.append(
                f"Closed market: the shared risk gate refused {closed.refusals} of {closed.column}'s order(s) on a quote past its "
                "time in force (as old as the quote-age limit or older, `--max-quote-age`: a closed market). Only an order "
                "decided between quotes meets such a quote: on a clock's tick, or by a timer such as a time limit's; one "
                "decided on a quote's arrival never does. The same rule binds every column."
            )
        if closed.gap_fills is not None and closed.gap_fills.count:
            lines.append(gap_fill_words(closed.column, closed.gap_fills))
    for off in causes.off_touch:
        lines.append(
            f"Closes at their own price: {fmt(off.fills)} of {off.column}'s {fmt(off.of_fills)} {CAUSE_WORDS[off.cause]} "
            f"close(s) filled worse than the touch in force, by {fmt(off.forgone)} USDT in all: a resting order fills at its own price, also when the next quote is already "
            "past it (the price jumped between two quotes, or across a gap), where a market close on that quote takes the touch. This is the platform's order "
            "type for the exit, not its execution: the reference replays, the ideal one every column is scored against "
            "included, close by market orders at the touch."
        )
    for late in causes.late_time_limits:
        lines.append(
            f"Time limits: {fmt(late.late.late)} of {late.column}'s {fmt(late.late.of_closes)} time-limit close(s) were decided on its "
            f"clock's first tick after the deadline, up to {fmt(late.late.max_late_s, 3)} s of market time after it (the entry's fill "
            "plus the limit fell between two ticks: a fill delay that is no whole number of ticks, or a limit off the grid); the "
            "reference replays decide each at its deadline, on the quote in force then. "
            + (f"{fmt(late.late.repriced)} of them filled on a later quote than at the deadline, at another price."
               if late.late.repriced else "Each filled on the quote a close at the deadline would have: at the same price.")
        )
    for end in causes.end_closes:
        rest = (f"; {', '.join(end.others)} closed nothing at the end: its open position is marked at the last mid, with no "
                "fee" if end.others else "")
        lines.append(f"Close at the end: {end.column}'s platform closed the position it held when the run ended "
                     f"({fmt(end.fills)} fill(s), {fmt(end.gross_pnl)} USDT realised before fees, fees {fmt(end.fees)} USDT)"
                     f"{rest}.")
    if causes.held_open and not causes.end_closes:
        lines.append(f"At the end: {' and '.join(causes.held_open)} held a position when the run ended and closed nothing "
                     "(a close due after the last quote, by the fill delay, is not filled; or the platform's `close_on_stop` "
                     "is off): it is marked at the last mid, with no fee.")
    return lines


def _delay_words(venue_s: float, measured_s: float) -> str:
    """The measured median where the journal has one, the venue's set delay beside it."""
    if measured_s != measured_s:
        return f"{fmt(venue_s, 3)} s (its venue's delay; none measured)"
    return f"a median {fmt(measured_s, 3)} s (its venue's delay {fmt(venue_s, 3)} s)"


def gap_fill_words(column: str, gaps: GapFills) -> str:
    """"X fills into a closed market (a gap of N h after the quote each used)", when they were and when
    the market reopened."""
    after = gaps.gaps_ns
    unit, size = next(((u, n) for u, n in UNITS if max(after) >= n), UNITS[-1])
    shortest, longest = fmt(min(after) / size, 2), fmt(max(after) / size, 2)
    later = f"{longest} {unit}" if shortest == longest else f"{shortest} to {longest} {unit}"
    stamp = lambda ns: pd.Timestamp(ns, tz="UTC").strftime("%a %Y-%m-%d %H:%M:%S")  # noqa: E731 - one format
    when = [f"{stamp(f)} (reopened {stamp(n)})" for f, n in zip(gaps.fill_ns[:LISTED_FILLS], gaps.next_quote_ns, strict=False)]
    more = f" and {gaps.count - LISTED_FILLS} more (`metrics.json` lists them all)" if gaps.count > LISTED_FILLS else ""
    return (
        f"Closed market: {column} made {gaps.count} fill(s) into a closed market (the next quote came {later} after the "
        f"quote each used), each on the last quote before a gap, once that quote's successor was due: at {', '.join(when)} "
        f"UTC{more}."
    )
