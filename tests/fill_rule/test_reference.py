"""The reference replay applies the platforms' fill rule: at the quote in force at decision + delay,
stamped then, and an order due after the last quote stays unfilled on every platform and in the
reference alike."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from poc_hummingbot import app as hummingbot_app
from poc_nautilus import app as nautilus_app
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.journal import read_journal
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches
from shared_signals.reference import ReferenceVenue, reference_replay
from tests.fill_rule.conftest import HOURLY, Sparse

START = pd.Timestamp("2025-01-06", tz="UTC")


def reference(files, delay_s: float):
    table = load_signals(files.signals, loader_params=HOURLY.loader)
    return reference_replay(iter_quote_batches(files.quotes), table, HOURLY, ReferenceVenue(round(delay_s * NANOS_PER_SECOND)))


@pytest.mark.parametrize("delay_s", [0.0, 2.0, 90.0])
def test_reference_fills_at_the_quote_in_force_at_decision_plus_delay(sparse, delay_s):
    trades = reference(sparse, delay_s)
    assert len(trades) >= 30
    decided = np.array([t.decided_ns for t in trades])
    filled = np.array([t.filled_ns for t in trades])
    assert (filled - decided == round(delay_s * NANOS_PER_SECOND)).all()
    buy = np.array([t.side > 0 for t in trades])
    np.testing.assert_array_equal([t.price for t in trades], sparse.touch_in_force(filled, buy))


def test_nautilus_makes_the_reference_s_trades_on_sparse_quotes_with_a_delay(sparse, tmp_path):
    """Nautilus decides on quotes as the reference does, so with one fill rule every trade is the same:
    signal, side, quantity, fill time and price."""
    events = read_journal(nautilus_app.run(sparse.spec("nautilus", tmp_path, 90.0)).platform_dir).events
    fills = events[(events["kind"] == "order_filled") & events["signal_id"].notna()]
    expected = reference(sparse, 90.0)
    assert list(fills["signal_id"]) == [t.signal_id for t in expected]
    assert list(fills["side"]) == ["BUY" if t.side > 0 else "SELL" for t in expected]
    np.testing.assert_allclose(fills["qty"], [t.qty for t in expected], rtol=0, atol=1e-9)
    assert list(fills["sim_ts_ns"]) == [t.filled_ns for t in expected]
    assert list(fills["price"]) == [t.price for t in expected]


def handmade(folder) -> Sparse:
    """Three 15-minute quotes and a buy signal on the last one: its order is due after the data ends."""
    seconds = [0, 900, 1800]
    quotes = pd.DataFrame({"timestamp": [START + pd.Timedelta(seconds=s) for s in seconds],
                           "bid_price": [50_000.0, 50_100.0, 50_200.0], "ask_price": [50_001.0, 50_101.0, 50_201.0],
                           "bid_size": 0.5, "ask_size": 0.5})
    signals = pd.DataFrame([dict(datetime=START + pd.Timedelta(seconds=1800), q10=-0.01, q50=0.01, q90=0.03, side=1,
                                 prob_up=0.7, vol_risk=0.0)])
    folder.mkdir(parents=True, exist_ok=True)
    quotes.to_parquet(folder / "quotes.parquet", index=False)
    signals.to_parquet(folder / "signals.parquet", index=False)
    ns = pd.DatetimeIndex(quotes["timestamp"]).as_unit("ns").asi8
    return Sparse(folder / "quotes.parquet", folder / "signals.parquet", ns, quotes["bid_price"].to_numpy(), quotes["ask_price"].to_numpy())


@pytest.mark.parametrize(("delay_s", "fills"), [(0.0, 1), (90.0, 0)])
def test_an_order_due_after_the_last_quote_is_not_filled_anywhere(tmp_path, delay_s, fills):
    files = handmade(tmp_path / "in")
    assert len(reference(files, delay_s)) == fills
    for name, app in (("nautilus", nautilus_app), ("hummingbot", hummingbot_app)):
        events = read_journal(app.run(files.spec(name, tmp_path / name / f"{delay_s:g}", delay_s)).platform_dir).events
        signal_rows = events[events["signal_id"].notna()]
        assert (signal_rows["kind"] == "order_submitted").sum() == 1, name
        assert (signal_rows["kind"] == "order_filled").sum() == fills, name
