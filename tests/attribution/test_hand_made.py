"""The attribution over time on a hand-made pair of journals: every part worked out by hand from the
quotes, the positions and the fills, and a remainder that stops being zero when a fill is lost, when
a part is priced at another time or when the grid ends on another mark than the PnL's."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluator.analysis.metrics import attribution as attribution_module
from evaluator.analysis.metrics.accounts import NEVER_IN_FORCE
from evaluator.analysis.metrics.attribution import Mids, OneSided, Part, pnl_attribution
from evaluator.analysis.metrics.trading import trading_results
from tests.evaluator.journals import events

S = 1_000_000_000
CAPITAL = 100_000.0
MIDS = [100.0, 102.0, 105.0, 104.0, 110.0]
"""One quote at the start of each minute (bid = mid − 1, ask = mid + 1); the last is the final mark."""
TOUCH = pd.DataFrame({"ts_ns": [60 * S * k for k in range(5)], "bid": [m - 1 for m in MIDS], "ask": [m + 1 for m in MIDS]})
MARKS = pd.DataFrame({"ts_ns": TOUCH["ts_ns"], "mid": MIDS})
SCHEDULE = pd.DataFrame({"signal_id": ["s1", "s2", "s3"], "ts_ns": [30 * S, 90 * S, 150 * S]})
"""Signals between quotes: in force at s1, s2, s3 are the quotes of 0, 60 and 120 s (mids 100, 102, 105)."""


def order(signal_id, t, side, qty):
    return dict(kind="order_submitted", signal_id=signal_id, sim_ts_ns=t, side=side, qty=qty)


def fill(signal_id, t, side, qty, price, fee):
    return dict(kind="order_filled", signal_id=signal_id, sim_ts_ns=t, side=side, qty=qty, price=price, fee=fee)


A = events(
    order("s1", 60 * S, "BUY", 1.0), fill("s1", 120 * S, "BUY", 1.0, 106.0, 0.1),       # decided at 102, filled at 105
    order("s2", 90 * S, "SELL", 0.5), fill("s2", 92 * S, "SELL", 0.5, 101.0, 0.05),     # decided and filled at 102
    dict(kind="decision", signal_id="s3", code="HOLD", sim_ts_ns=150 * S),
)
B = events(
    order("s1", 30 * S, "BUY", 2.0), fill("s1", 30 * S, "BUY", 2.0, 101.0, 0.2),        # all at 100
    order("s3", 150 * S, "BUY", 1.0), fill("s3", 180 * S, "BUY", 1.0, 105.0, 0.1),      # decided at 105, filled at 104
    order(None, 240 * S, "SELL", 3.0), fill(None, 240 * S, "SELL", 3.0, 109.0, 0.3),    # the close at stop, at 110
)


def attribute(a=A, b=B, marks=MARKS, touch=TOUCH):
    """The parts of the journals ``a``, ``b`` priced from ``marks`` and ``touch``; the PnL always from
    the whole journals and marks."""
    pnl = tuple(trading_results(e, MARKS, CAPITAL).pnl for e in (A, B))
    return pnl_attribution(("a", "b"), (a, b), Mids.of(marks, touch), SCHEDULE, pnl)


def test_each_part_by_hand():
    result = attribute()
    a, b = result.columns
    # a: s1 +1 held from 100 to 110, s2 −0.5 from 102; decided s1 at 102 (signal at 100), filled it at 105, paid 1 over
    # the mid; s2 decided and filled at 102, sold 1 under it.
    assert a.parts == pytest.approx({
        Part.HOLDING: 1 * (110 - 100) - 0.5 * (110 - 102),
        Part.DECISION_PRICE: 1 * (100 - 102) - 0.5 * (102 - 102),
        Part.FILL_DELAY_PRICE: 1 * (102 - 105) - 0.5 * (102 - 102),
        Part.SPREAD: 1 * (105 - 106) - 0.5 * (102 - 101),
        Part.FEES: -(0.1 + 0.05),
    })
    # b: s1 +2 from 100, s3 +1 from 105, the close −3 at 110 (held for no time); s3 filled at 104, a unit under its
    # decision's mid; each fill one under or over its mid.
    assert b.parts == pytest.approx({
        Part.HOLDING: 2 * (110 - 100) + 1 * (110 - 105) - 3 * (110 - 110),
        Part.DECISION_PRICE: 0.0,
        Part.FILL_DELAY_PRICE: 1 * (105 - 104),
        Part.SPREAD: 2 * (100 - 101) + 1 * (104 - 105) - 3 * (110 - 109),
        Part.FEES: -(0.2 + 0.1 + 0.3),
    })
    assert (a.pnl, b.pnl) == pytest.approx((4 - 4.5 - 0.15, 18 + 5 - 3 - 0.6))
    assert result.difference == pytest.approx(-0.65 - 19.4)
    assert result.parts == pytest.approx({Part.HOLDING: 6 - 25, Part.DECISION_PRICE: -2.0, Part.FILL_DELAY_PRICE: -3 - 1,
                                          Part.SPREAD: -1.5 + 6, Part.FEES: 0.6 - 0.15})
    assert result.remainder == pytest.approx(0.0, abs=1e-12) and result.identity_holds
    assert result.one_sided == [OneSided("a", NEVER_IN_FORCE, 1), OneSided("b", "HOLD", 1)]


def test_holding_is_the_position_difference_times_each_interval_s_move():
    """a − b holds −1 over 30-90 s (the mid 100 → 102), −1.5 over 90-150 s (102 → 105) and −2.5 over
    150-240 s (105 → 110); the minute ends between change nothing where the mid does not move."""
    path = attribute().holding.set_index("ts_ns")["usdt"]
    assert path[60 * S - 1] == pytest.approx(-1 * (100 - 100))
    assert path[90 * S] == pytest.approx(-1 * (102 - 100))
    assert path[120 * S - 1] == pytest.approx(-2 - 1.5 * (102 - 102))
    assert path[150 * S] == pytest.approx(-2 - 1.5 * (105 - 102))
    assert path[180 * S - 1] == pytest.approx(-6.5 - 2.5 * (105 - 105))
    assert path[240 * S - 1] == pytest.approx(-6.5 - 2.5 * (104 - 105))
    assert path.iloc[-1] == pytest.approx(-6.5 - 2.5 * (110 - 105)) == attribute().parts[Part.HOLDING]


def test_a_lost_fill_leaves_a_remainder():
    """b's close at stop (−3 × (110 − 109) − 0.3) missing from the journal the parts read, not from its PnL."""
    result = attribute(b=B[B["signal_id"].notna()])
    assert result.remainder == pytest.approx(3.3) and not result.identity_holds


def test_holding_priced_from_the_fill_time_leaves_a_remainder(monkeypatch):
    """Holding from the fill times instead of the signals' leaves out each fill's move from its signal
    to its fill, which the price parts count too: a's s1 (100 → 105) less b's s3 (105 → 104)."""
    moved = attribution_module.holding_path
    monkeypatch.setattr(attribution_module, "holding_path",
                        lambda fills, grid, mids: moved(fills.assign(sigma=fills["filled"]), grid, mids))
    result = attribute()
    assert result.remainder == pytest.approx(-(1 * (100 - 105) - 1 * (105 - 104)))
    assert not result.identity_holds


def test_prices_that_end_on_another_mark_leave_a_remainder():
    """Without the last quote and mark every part ends on 104, not the 110 the PnL used: a holds 0.5 at
    the end, b none (its close is priced at 104 in holding and in its spread alike)."""
    result = attribute(marks=MARKS.iloc[:-1], touch=TOUCH.iloc[:-1])
    assert result.remainder == pytest.approx(0.5 * (110 - 104)) and not result.identity_holds


def test_a_resting_exit_is_decided_where_it_fills_so_its_wait_is_holding():
    """A take profit placed with the entry at 60 s (mid 102) fills at 240 s (mid 110): on a platform whose
    exits rest at its venue the close was decided there, and its 8-unit move while resting is holding,
    not a fill delay; a market close sent at 60 s and filled at 240 s is a fill delay."""
    journal = events(
        order("s1", 30 * S, "BUY", 1.0), fill("s1", 30 * S, "BUY", 1.0, 101.0, 0.0),
        dict(order(None, 60 * S, "SELL", 1.0), code="take_profit"),
        dict(fill(None, 240 * S, "SELL", 1.0, 109.0, 0.0), code="take_profit"),
    )
    pnl = trading_results(journal, MARKS, CAPITAL).pnl
    resting, sent = (pnl_attribution(("a", "b"), (journal, journal), Mids.of(MARKS, TOUCH), SCHEDULE, (pnl, pnl),
                                     (rests, ())).columns[0] for rests in (("take_profit",), ()))
    assert resting.parts[Part.FILL_DELAY_PRICE] == 0.0 and resting.parts[Part.DECISION_PRICE] == 0.0
    assert sent.parts[Part.FILL_DELAY_PRICE] == pytest.approx(-1 * (102 - 110))
    assert sent.parts[Part.DECISION_PRICE] == 0.0  # a close without a signal is timed from its own decision
    assert resting.remainder == pytest.approx(0.0, abs=1e-9) and sent.remainder == pytest.approx(0.0, abs=1e-9)
