"""The two rules a closed market needs, on hand-made frames: a fill into a closed market is one whose
quote is followed by the next quote more than 1.5 spacings later, made once that quote's successor was
due; a fill's arrival is the mid in force at its signal's time (or the first quote within one spacing
after it), never after the fill."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from evaluator.analysis.causes import ClosedMarket, causes
from evaluator.analysis.metrics.execution_cost import GapFills, execution_cost
from evaluator.report.causes import cause_lines
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind
from shared_signals.risk import RiskRule

M, S = NANOS_PER_MINUTE, NANOS_PER_SECOND
SPACING = 15 * M
FRIDAY = pd.Timestamp("2025-01-10T00:00:00Z").value
"""A Friday midnight: quotes every 15 minutes until 20:45, then none until Sunday 22:00."""


def quotes(*times_ns: int) -> pd.DataFrame:
    """A touch table: mid = 100 + the quote's position, so each quote is known by its mid."""
    return pd.DataFrame({"ts_ns": list(times_ns), "bid": [99.5 + i for i in range(len(times_ns))],
                         "ask": [100.5 + i for i in range(len(times_ns))]})


JOURNAL_COLUMNS = ["kind", "signal_id", "sim_ts_ns", "side", "qty", "price", "fee", "code", "reason", "seq"]


def fills(*rows: tuple[str | None, int]) -> pd.DataFrame:
    return pd.DataFrame([[EventKind.ORDER_FILLED, sid, t, "BUY", 1.0, 101.0, 0.0, None, None, i] for i, (sid, t) in enumerate(rows)],
                        columns=JOURNAL_COLUMNS)


def schedule(**times: int) -> pd.DataFrame:
    return pd.DataFrame({"signal_id": list(times), "ts_ns": list(times.values())})


WEEKEND = quotes(*(FRIDAY + (20 * 60 + 15 * k) * M for k in range(4)), FRIDAY + 2 * 24 * NANOS_PER_HOUR + 22 * NANOS_PER_HOUR)
"""Friday 20:00, 20:15, 20:30, 20:45, then Sunday 22:00."""
LAST, REOPEN = FRIDAY + (20 * 60 + 45) * M, FRIDAY + 70 * NANOS_PER_HOUR


def test_a_fill_past_its_quote_s_time_into_a_gap_is_counted_and_named():
    events = fills(("a", FRIDAY + 21 * NANOS_PER_HOUR + S),   # on the 20:45 quote, 15 min 1 s old, the next 49 h 15 min later
                   ("b", FRIDAY + 21 * NANOS_PER_HOUR),       # the same quote exactly one spacing old: its successor was due
                   ("c", LAST),                               # on the 20:45 quote when it came: the market was open
                   ("d", FRIDAY + (20 * 60 + 40) * M),        # on the 20:30 quote: the next one came on time
                   ("e", REOPEN + 20 * M))                    # after the last quote: no next quote, no gap known
    found = execution_cost(events, schedule(a=FRIDAY + 21 * NANOS_PER_HOUR), WEEKEND, SPACING).gap_fills
    assert found == GapFills(("a", "b"), (FRIDAY + 21 * NANOS_PER_HOUR + S, FRIDAY + 21 * NANOS_PER_HOUR), (LAST, LAST),
                             (REOPEN, REOPEN))
    assert found.gaps_ns == (REOPEN - LAST, REOPEN - LAST)  # 49 h 15 min: from the quote used, not from the fill


def test_a_late_quote_within_one_and_a_half_spacings_is_jitter_not_a_gap():
    late = quotes(0, SPACING, 2 * SPACING + SPACING // 2 - 1)  # the third quote 1.5 spacings after the second, less 1 ns
    assert execution_cost(fills(("a", 2 * SPACING + S)), schedule(), late, SPACING).gap_fills.count == 0
    gap = quotes(0, SPACING, 2 * SPACING + SPACING // 2 + 1)
    assert execution_cost(fills(("a", 2 * SPACING + S)), schedule(), gap, SPACING).gap_fills.count == 1


def test_without_a_spacing_no_gap_is_claimed():
    assert execution_cost(fills(("a", 5 * SPACING)), schedule(), quotes(0), 0).gap_fills is None


def test_the_arrival_is_the_quote_in_force_at_the_signal_or_one_within_a_spacing_after_it():
    book = quotes(0, SPACING, 2 * SPACING, 2 * SPACING + 3 * NANOS_PER_HOUR, 2 * SPACING + 3 * NANOS_PER_HOUR + SPACING)
    reopen = 2 * SPACING + 3 * NANOS_PER_HOUR
    signals = schedule(
        mid_bar=SPACING + 5 * M,            # in force: the quote at one spacing (mid 101), not the next (102)
        on_quote=2 * SPACING,               # a quote at the signal's time is in force at it (102)
        before_reopen=reopen - 10 * M,      # the last quote is hours old; the next comes within a spacing (103)
        in_the_gap=reopen - 2 * SPACING,    # the last quote is hours old, the next two spacings away: none usable
        future=reopen - 5 * M,              # usable arrival (103) but the fill came before it
    )
    events = fills(("mid_bar", SPACING + 6 * M), ("on_quote", 2 * SPACING), ("before_reopen", reopen),
                   ("in_the_gap", reopen + M), ("future", reopen - 4 * M), (None, reopen + SPACING))
    cost = execution_cost(events, signals, book, SPACING)
    rows = cost.per_fill.set_index("signal_id")
    assert rows["arrival_mid"].to_dict() == {"mid_bar": 101.0, "on_quote": 102.0, "before_reopen": 103.0}
    assert (cost.fills, cost.unmeasured) == (3, 3)  # in the gap, the future arrival, and the close at stop
    assert (rows["arrival_quote_ns"] <= rows["sim_ts_ns"]).all()
    assert rows.at["mid_bar", "delay_bps"] == pytest.approx(0.0)  # the fill met the same quote
    assert rows.at["before_reopen", "delay_bps"] == pytest.approx(0.0)


def test_the_causes_name_the_fills_into_a_closed_market_with_when_the_market_reopened():
    events = fills(("a", FRIDAY + 21 * NANOS_PER_HOUR + S), ("b", FRIDAY + 21 * NANOS_PER_HOUR + 2 * S))
    cost = execution_cost(events, schedule(), WEEKEND, SPACING)
    returns = SimpleNamespace(gross_return_pct=0.0, fees=0.0, volume=0.0)

    def column(cost, refusals):
        return SimpleNamespace(trading=returns, reference_trading=returns, fill_delay_s=0.0, execution_cost=cost, exits=None,
                               stability=SimpleNamespace(rejections_by_kind=refusals),
                               accuracy=SimpleNamespace(executed_as_intended=1, actionable=1, position_matches=1, position_checks=1))

    quiet = execution_cost(fills(), schedule(), WEEKEND, SPACING)
    found = causes(SimpleNamespace(columns={"nautilus": column(quiet, {}), "hummingbot": column(cost, {}),
                                            "hb-held": column(quiet, {RiskRule.STALE_QUOTE: 3})}), [])
    assert found.closed_markets == [ClosedMarket("hummingbot", 0, cost.gap_fills), ClosedMarket("hb-held", 3, quiet.gap_fills)]
    lines = [c for c in cause_lines(found) if c.startswith("Closed market")]
    assert lines[0].startswith("Closed market: hummingbot made 2 fill(s) into a closed market (the next quote came 49.25 h after the quote each used)")
    assert ("Fri 2025-01-10 21:00:01 (reopened Sun 2025-01-12 22:00:00), Fri 2025-01-10 21:00:02 (reopened Sun 2025-01-12 "
            "22:00:00) UTC") in lines[0]
    assert lines[1].startswith("Closed market: the shared risk gate refused 3 of hb-held's order(s) on a quote past its time in force")
    assert len(lines) == 2  # nautilus met no closed market: no sentence
