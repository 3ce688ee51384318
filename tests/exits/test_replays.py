"""Both real platforms replayed with exits on, on the demo day (1 s quotes, 5-minute signals) and on
hourly signals over 15-minute quotes with weekend closes and outages, through the command line. Every
close a platform journals is checked against the reference replay's (cause, time, price), recomputed
here from the inputs; where a platform differs, the difference is the one its design explains, checked
on the quote file:

- Hummingbot (StrategyPyBase) closes by the shared runner's decisions: the same closes, exactly.
- Nautilus closes by its own resting orders, which its venue fills on the quote that triggers them
  (the reference's market close fills the venue's fill delay later, at the quote in force then); its
  take profit is a LIMIT that fills at its own price (the reference's market close at the touch, at or
  beyond it); and it closes what is open at the end (``end_of_run``), which the reference does not
  model. Both close a time limit at the exact deadline, on the quote in force then (Nautilus by its
  timer, Hummingbot on its wake-up), as the reference does: a time limit off the quote grid (a fill
  delay, or a limit that is no multiple of the quote interval) is the same close on all three.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.metrics.exits import exit_causes
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.spec import read_spec
from shared_signals.demo import DemoParams, write_demo
from shared_signals.loader import load_signals
from shared_signals.probability import target_pct
from shared_signals.quotes import iter_quote_batches
from shared_signals.reference import ReferenceVenue, reference_replay

pytestmark = pytest.mark.slow

DEMO_DAY = DemoParams(hours=6.0, seed=7)
SPARSE = DemoParams(hours=21 * 24.0, seed=7, quote_interval_s=900, bar_minutes=60, gaps=True)
DAY_EXITS = {"stop_loss": 0.003, "take_profit": 0.004, "time_limit_s": 600, "trailing_stop_activation": 0.002,
             "trailing_stop_delta": 0.001}
SPARSE_EXITS = {"stop_loss": 0.01, "take_profit": 0.015, "time_limit_s": 7200, "trailing_stop_activation": 0.008,
                "trailing_stop_delta": 0.004}
SCALED_EXITS = {"stop_loss": 0.5, "take_profit": 0.8, "time_limit_s": 7200, "scale_by_target_pct": True}
OFF_GRID_TIME_LIMIT = {"time_limit_s": 150.5}
PLATFORMS = ("nautilus", "hummingbot")


def run(platform: str, files, out: Path, exits: dict, *flags: str) -> Path:
    config = out.parent / f"{out.name}.json"
    config.write_text(json.dumps({"exits": exits}))
    done = subprocess.run(
        [sys.executable, "-m", "evaluator.cli", "run", "--platform", platform, "--quotes", str(files.quotes), "--signals",
         str(files.signals), "--core-config", str(config), "--out", str(out), "--run-id", "exits", *flags],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return out / platform


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exits-data")
    return {"day": write_demo(folder / "day", DEMO_DAY), "sparse": write_demo(folder / "sparse", SPARSE)}


SAME, LIMIT, NO_DELAY = "same", "limit at its price", "no fill delay at the venue"
CASES = {  # data, exits, flags; the explanations Nautilus' closes may need, and the one that must appear
    "day": ("day", DAY_EXITS, (), {SAME, LIMIT}, LIMIT),
    "day-delay": ("day", DAY_EXITS, ("--fill-delay", "2s"), {SAME, NO_DELAY, LIMIT}, NO_DELAY),
    "day-timer": ("day", OFF_GRID_TIME_LIMIT, (), {SAME}, SAME),
    "sparse": ("sparse", SPARSE_EXITS, (), {SAME, LIMIT}, LIMIT),
    "sparse-scaled": ("sparse", SCALED_EXITS, (), {SAME, LIMIT}, LIMIT),
    "sparse-delay": ("sparse", SPARSE_EXITS, ("--fill-delay", "2s"), {SAME, NO_DELAY, LIMIT}, NO_DELAY),
}


@pytest.fixture(scope="module", params=list(CASES))
def runs(request, data, tmp_path_factory):
    name, exits, flags, _, _ = CASES[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    return request.param, data[name], {p: run(p, data[name], folder / p, exits, *flags) for p in PLATFORMS}


class Quotes:
    def __init__(self, path: Path) -> None:
        frame = pd.read_parquet(path)
        self.ns = pd.to_datetime(frame["timestamp"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
        self.bid, self.ask = frame["bid_price"].to_numpy(), frame["ask_price"].to_numpy()

    def in_force(self, t: int) -> int:
        return int(np.searchsorted(self.ns, t, side="right") - 1)

    def close_price(self, t: int, side: str) -> float:
        """The touch a market close at ``t`` fills at: the ask for a buy, the bid for a sell."""
        i = self.in_force(t)
        return float(self.ask[i] if side == "BUY" else self.bid[i])


def fills(folder: Path) -> pd.DataFrame:
    events = pd.DataFrame([json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()])
    return events[events["kind"] == "order_filled"].reset_index(drop=True)


def reference(folder: Path) -> pd.DataFrame:
    """The reference replay on the run's own inputs, settings and venue, from its spec."""
    spec = read_spec(folder / "spec.json")
    core = spec.core
    table = load_signals(spec.signals, spec.instrument, core.loader, core.side, core.regime)
    venue = ReferenceVenue(round(spec.venue.fill_delay_s * NANOS_PER_SECOND), spec.venue.fee_rate or 0.0)
    trades = reference_replay(iter_quote_batches(spec.quotes), table, core, venue, spec.starting_quote, spec.starting_base)
    return pd.DataFrame(trades)


def closes(frame: pd.DataFrame, cause: str, time: str) -> list[tuple[str, int, float]]:
    rows = frame[frame[cause].notna() & (frame[cause] != "end_of_run")]
    return list(zip(rows[cause], rows[time].astype("int64"), rows["price"].astype(float), strict=True))


OFF_GRID = ("day-timer", "sparse-delay")
"""The cases whose time limits fall due between quotes (the check below must meet some)."""
HUMMINGBOT_TICK_NS = NANOS_PER_SECOND
"""Its clock's default tick: the strategy decides on the ticks of a grid from the first quote."""


def on_hummingbot_clock(ref: pd.DataFrame, quotes: Quotes, delay_ns: int) -> tuple[pd.DataFrame, int]:
    """The reference's closes as Hummingbot's clock makes them: a time limit whose deadline is off its
    grid is decided on the first tick after it, and fills the venue's delay later at the quote in force
    then; how many moved."""
    moved = ref.copy()
    first = int(quotes.ns[0])
    timed = moved["cause"] == "time_limit"
    decided = moved.loc[timed, "decided_ns"].astype("int64")
    on_tick = first - ((first - decided) // HUMMINGBOT_TICK_NS) * HUMMINGBOT_TICK_NS
    late = on_tick != decided
    for i in late[late].index:
        t = int(on_tick[i]) + delay_ns
        moved.loc[i, "filled_ns"] = t
        moved.loc[i, "price"] = quotes.close_price(t, "BUY" if moved.loc[i, "side"] > 0 else "SELL")
    return moved, int(late.sum())


def test_hummingbot_closes_exactly_where_the_reference_does(runs):
    """Hummingbot's closes are the reference's, but for time limits due between two ticks of its clock,
    which it decides on the tick after (the report counts them from the journal)."""
    case, files, folders = runs
    folder = folders["hummingbot"]
    journal, ref, quotes = fills(folder), reference(folder), Quotes(files.quotes)
    assert len(closes(ref, "cause", "filled_ns")) > 5
    timed = ref.loc[ref["cause"] == "time_limit", "decided_ns"].astype("int64")
    if case in OFF_GRID:
        assert (~timed.isin(quotes.ns)).any()
    spec = read_spec(folder / "spec.json")
    expected, moved = on_hummingbot_clock(ref, quotes, round(spec.venue.fill_delay_s * NANOS_PER_SECOND))
    assert closes(journal, "code", "sim_ts_ns") == closes(expected, "cause", "filled_ns")
    assert journal.loc[journal["code"].notna() & (journal["code"] != "signal"), "signal_id"].isna().all()
    events = pd.DataFrame([json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()])
    limit_ns = round(spec.core.exits.time_limit_s * NANOS_PER_SECOND)
    late = exit_causes(events, time_limit_ns=limit_ns, tick_ns=HUMMINGBOT_TICK_NS).late_time_limits
    assert (0 if late is None else late.late) == moved
    assert (moved > 0) == (case == "day-timer")  # 150.5 s from a whole second; the others' deadlines are whole seconds


def entry_before(journal: pd.DataFrame, t: int) -> pd.Series:
    """The fill that opened the position a close at ``t`` ends: the last before it without a cause (or
    a flip's, with cause ``signal``)."""
    earlier = journal[(journal["sim_ts_ns"] < t) | ((journal["sim_ts_ns"] == t) & journal["code"].isna())]
    return earlier[earlier["code"].isna() | (earlier["code"] == "signal")].iloc[-1]


def explain_nautilus(close: pd.Series, ref: pd.Series, journal: pd.DataFrame, quotes: Quotes, exits: dict,
                     delay_ns: int, target: float) -> str:
    """Why a Nautilus close differs from the reference's, or ``same``; fails when none explains it."""
    cause, t, price, side = close["code"], int(close["sim_ts_ns"]), float(close["price"]), close["side"]
    ref_cause, ref_decided, ref_t, ref_price = ref["cause"], int(ref["decided_ns"]), int(ref["filled_ns"]), float(ref["price"])
    if (cause, t, price) == (ref_cause, ref_t, ref_price):
        return SAME
    if cause == "take_profit":
        entry = float(entry_before(journal, t)["price"])
        limit = round(entry * (1 - exits["take_profit"] * target) if side == "BUY" else entry * (1 + exits["take_profit"] * target), 2)
        assert price == pytest.approx(limit, abs=0.011)  # its own price, to the venue's tick
        if ref_cause == "take_profit":
            assert t == ref_decided  # the venue fills it on the quote the reference decides at
            beyond = quotes.close_price(t, side) - limit
            assert (beyond <= 0.011) if side == "BUY" else (beyond >= -0.011)  # the touch is at or beyond it
            return LIMIT
    if cause in ("stop_loss", "trailing_stop") and cause == ref_cause and delay_ns:
        assert (t, ref_t - t) == (ref_decided, delay_ns)
        assert price == quotes.close_price(t, side)  # the triggering quote's touch: no delay at the venue
        return NO_DELAY
    raise AssertionError(f"unexplained: nautilus {cause} at {t} for {price}, reference {ref_cause} at {ref_t} for {ref_price}")


def test_nautilus_closes_where_the_reference_does_or_where_its_own_orders_explain(runs):
    case, files, folders = runs
    _, exits, _, allowed, needed = CASES[case]
    folder = folders["nautilus"]
    spec = read_spec(folder / "spec.json")
    journal, ref, quotes = fills(folder), reference(folder), Quotes(files.quotes)
    ours = journal[journal["code"].notna() & (journal["code"] != "end_of_run")]
    theirs = ref[ref["cause"].notna()]
    assert len(ours) == len(theirs) > 5
    explained = []
    for (_, close), (_, other) in zip(ours.iterrows(), theirs.iterrows(), strict=True):
        target = scaled_target(journal, close, spec) if exits.get("scale_by_target_pct") else 1.0
        explained.append(explain_nautilus(close, other, journal, quotes, exits, round(spec.venue.fill_delay_s * 1e9), target))
    assert set(explained) <= allowed and needed in explained, sorted(set(explained))
    ends = journal[journal["code"] == "end_of_run"]
    assert len(ends) <= 1 and (ends.empty or int(ends["sim_ts_ns"].iloc[0]) == quotes.ns[-1])


def scaled_target(journal: pd.DataFrame, close: pd.Series, spec) -> float:
    """The opening signal's target_pct, recomputed from the signal file with the run's settings."""
    earlier = journal[journal["signal_id"].notna() & (journal.index < close.name)]
    opening = earlier.iloc[-1]["signal_id"]
    table = load_signals(spec.signals, spec.instrument, spec.core.loader, spec.core.side, spec.core.regime)
    i = [table.signal_id(k) for k in range(len(table))].index(opening)
    signal = table.signal(i)
    return float(target_pct(signal.q10, signal.q50, signal.q90, signal.tier_confidence, spec.core.probability))


def test_nautilus_exit_orders_reach_the_venue_before_the_price_crosses_them(runs):
    """Under a fill delay on sparse quotes the resting exits must reach the venue at the entry fill plus
    the delay (the quote in force still the entry's), not with the next quote, by when a gap may have
    crossed them: the venue would reject them and leave the position unprotected."""
    case, _, folders = runs
    events = [json.loads(line) for line in (folders["nautilus"] / "events.jsonl").read_text().splitlines()]
    rejected = [e for e in events if e["kind"] == "order_rejected" and e["code"] == "venue_rejected"]
    assert rejected == [], (case, rejected[:3])
