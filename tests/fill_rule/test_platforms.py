"""The matched venues' fill rule on each real platform, on sparse quotes with gaps: a market order
decided at ``d`` fills at the touch of the quote in force at ``d + delay``, stamped ``d + delay``.
Every figure is recomputed here from the journal and the quote file alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from poc_hummingbot import app as hummingbot_app
from poc_nautilus import app as nautilus_app
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.journal import read_journal

APPS = {"nautilus": nautilus_app, "hummingbot": hummingbot_app}
DELAYS_S = (0.0, 2.0, 2.5, 90.0)
"""2.5 s: off Hummingbot's 1 s tick grid, filled at 2.5 s all the same."""
TOLERANCE_NS = 1_000_000
"""±1 ms."""


@pytest.fixture(scope="module")
def journal(sparse, tmp_path_factory):
    """``journal(platform, delay_s)``: the events of that platform's replay of the sparse data, run once."""
    done: dict[tuple[str, float], pd.DataFrame] = {}

    def run(platform: str, delay_s: float) -> pd.DataFrame:
        if (platform, delay_s) not in done:
            spec = sparse.spec(platform, tmp_path_factory.mktemp(f"{platform}-{delay_s:g}s"), delay_s)
            done[platform, delay_s] = read_journal(APPS[platform].run(spec).platform_dir).events
        return done[platform, delay_s]

    return run


def orders_and_fills(events: pd.DataFrame) -> pd.DataFrame:
    """Each order of a signal with its fill (NaN when it has none); one order per signal on these runs."""
    signal_rows = events[events["signal_id"].notna()]
    orders = signal_rows[signal_rows["kind"] == "order_submitted"]
    fills = signal_rows[signal_rows["kind"] == "order_filled"]
    assert orders["signal_id"].is_unique and fills["signal_id"].is_unique
    return pd.DataFrame({
        "order_ns": orders.set_index("signal_id")["sim_ts_ns"],
        "buy": orders.set_index("signal_id")["side"] == "BUY",
        "fill_ns": fills.set_index("signal_id")["sim_ts_ns"],
        "price": fills.set_index("signal_id")["price"],
    })


@pytest.mark.parametrize("platform", list(APPS))
@pytest.mark.parametrize("delay_s", DELAYS_S)
def test_every_fill_is_the_set_delay_after_its_order_at_the_touch_in_force_then(journal, sparse, platform, delay_s):
    trades = orders_and_fills(journal(platform, delay_s))
    delay_ns = round(delay_s * NANOS_PER_SECOND)
    filled = trades.dropna(subset=["fill_ns"])
    assert len(filled) >= 30
    measured = filled["fill_ns"].astype("int64") - filled["order_ns"].astype("int64")
    assert (measured - delay_ns).abs().max() <= TOLERANCE_NS
    due = filled["order_ns"].astype("int64").to_numpy() + delay_ns
    np.testing.assert_allclose(filled["price"].to_numpy(), sparse.touch_in_force(due, filled["buy"].to_numpy()), rtol=0, atol=1e-6)
    unfilled = trades[trades["fill_ns"].isna()]
    assert (unfilled["order_ns"].astype("int64") + delay_ns > sparse.quote_ns[-1]).all()  # only an order due after the data


@pytest.mark.parametrize("platform", list(APPS))
def test_a_delayed_fill_is_at_the_quote_in_force_not_at_the_next_quote(journal, sparse, platform):
    """The rule the platforms had before: a delayed order filled at the next quote, 900 s later here."""
    filled = orders_and_fills(journal(platform, 90.0)).dropna(subset=["fill_ns"])
    order_ns = filled["order_ns"].astype("int64").to_numpy()
    next_quote = sparse.next_quote_ns(order_ns)
    assert (next_quote - order_ns > 90 * NANOS_PER_SECOND).all()  # a quote comes after d + delay on every order
    assert (filled["fill_ns"].to_numpy() < next_quote).all()
    at_next = sparse.touch_in_force(next_quote, filled["buy"].to_numpy())
    assert (np.abs(filled["price"].to_numpy() - at_next) > 1e-6).mean() > 0.9  # the price is not the next quote's either
