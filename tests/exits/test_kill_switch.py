"""The kill switch's close, end to end: both replayable platforms run through the command line with a
tight drawdown limit, on the demo day (1 s quotes, 5-minute signals) and on hourly signals over
15-minute quotes with weekend closes and outages, there also with every barrier on. The reference replay is recomputed here from each
run's own spec; every platform closes by the switch where it does (time, side, size, price, no
signal), trades as it does before, and sends no order after the close: the risk gate refuses each
one (the switch, or on a closed market's stale quote the check that comes first). With barriers on,
Nautilus' own resting exits fill where ``test_replays`` explains, so its switch trips on its own
equity path: there it closes once, last, and leaves no exit resting.

No fee: Hummingbot's paper exchange takes its fee from a sell's proceeds but not from a buy's cost
(its journal states the fee; its balances do not pay it), so with a fee its account's equity, which
the switch watches, is the reference's plus the buys' fees, and its switch trips later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from shared_signals.demo import DemoParams, write_demo
from tests.exits.test_replays import SPARSE_EXITS, reference

pytestmark = pytest.mark.slow

SPARSE = DemoParams(hours=21 * 24.0, seed=7, quote_interval_s=900, bar_minutes=60, gaps=True)
CASES = {
    "day": (DemoParams(hours=6.0, seed=7), 0.0002, {}),
    "sparse": (SPARSE, 0.002, {}),
    "sparse-exits": (SPARSE, 0.001, SPARSE_EXITS),
}
"""Data, the ``risk.max_drawdown_fraction`` that trips the switch with a position open, and the exits."""
PLATFORMS = ("nautilus", "hummingbot")


def run(platform: str, folder: Path, files, drawdown: float, exits: dict) -> Path:
    config = folder / f"{platform}-core.json"
    config.write_text(json.dumps({"risk": {"max_drawdown_fraction": drawdown}, "exits": exits}))
    done = subprocess.run(
        [sys.executable, "-m", "evaluator.cli", "run", "--platform", platform, "--quotes", str(files.quotes), "--signals",
         str(files.signals), "--core-config", str(config), "--out", str(folder / platform), "--run-id", "kill", "--fee-bps", "0"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return folder / platform / platform


@pytest.fixture(scope="module", params=list(CASES))
def runs(request, tmp_path_factory):
    params, drawdown, exits = CASES[request.param]
    folder = tmp_path_factory.mktemp(f"kill-{request.param}")
    files = write_demo(folder / "data", params)
    return request.param, {p: run(p, folder, files, drawdown, exits) for p in PLATFORMS}


def journal(folder: Path) -> pd.DataFrame:
    return pd.DataFrame([json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()])


def trades(fills: pd.DataFrame, time: str, cause: str) -> list[tuple]:
    """(signal, side, size, time, price, cause) of each fill; no signal and no cause as None."""
    side = fills["side"].map(lambda s: s if isinstance(s, str) else "BUY" if s > 0 else "SELL")
    signal = fills["signal_id"].astype(object).where(fills["signal_id"].notna(), None)
    code = fills[cause].astype(object).where(fills[cause].notna(), None)
    return list(zip(signal, side, fills["qty"].round(10), fills[time].astype("int64"), fills["price"].astype(float), code, strict=True))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_kill_switch_closes_where_the_reference_does_and_nothing_opens_after(runs, platform):
    case, folders = runs
    events = journal(folders[platform])
    ref_trades = trades(reference(folders[platform]), "filled_ns", "cause")
    fills = events[events["kind"] == "order_filled"]
    ours = trades(fills, "sim_ts_ns", "code")
    if CASES[case][2] and platform == "nautilus":
        # Its own resting exits fill where test_replays explains, so its equity, which the switch
        # watches, takes another path: the switch closes once, by a market order, and no resting exit
        # fills after it (they were cancelled with it).
        (kill,) = [t for t in ours if t[5] == "kill_switch"]
        assert kill[0] is None and ours[-1] == kill and abs(fills["position_after"].iloc[-1]) < 1e-9
        orders = pd.read_csv(folders[platform] / "nautilus_orders.csv")  # Nautilus' own report of its orders
        assert set(orders["status"]) == {"FILLED", "CANCELED"}  # no exit left resting
        closed_ns = kill[3]
    else:
        kill_closes = [t for t in ref_trades if t[5] == "kill_switch"]
        assert len(kill_closes) == 1 and kill_closes[0][0] is None  # the data trips it once, a position open
        assert ours == ref_trades  # the same trades, the switch's close among them
        closed_ns = kill_closes[0][3]
    submitted = events[events["kind"] == "order_submitted"]
    assert submitted.loc[submitted["code"] == "kill_switch", "sim_ts_ns"].tolist() == [closed_ns]
    after = events[events["sim_ts_ns"] > closed_ns]
    assert after[after["kind"] == "order_submitted"].empty  # flat to the end: nothing opens, nothing to close
    refusals = after.loc[after["kind"] == "order_rejected", "code"]
    assert "kill_switch" in set(refusals) and set(refusals) <= {"kill_switch", "stale_quote"}  # a closed market's, checked first
