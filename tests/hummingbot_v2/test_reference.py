"""V2's closes and opens against the reference replay (``shared_signals.reference``, recomputed here on the
run's own spec and inputs), on the shared offline live run (``conftest.py``).

Every reference close has its V2 counterpart of the same cause, in the same order, and V2 has one more:
``end_of_run``, which the reference does not model. Where a V2 close differs from the reference's, the
difference is what the V2 design explains, checked on the quote file by replaying the PositionExecutor's
checks (``control_barriers``: stop loss, trailing stop, take profit, time limit) here, from the journal's
own entry fill:

- it opens on its controller's loop after the signal, filled on a later tick: its own entry price and time;
- it nets its paid open fee in the barrier PnL (``get_net_pnl_pct``), the reference's barrier is gross;
- it checks on 1 s wall ticks (SPEED market seconds), the book set at the tick, not on every quote;
- its time limit counts from the executor's creation (the opening order's submission), not the entry fill;
- its market close fills the paper exchange's execution delay later (the next tick), at the touch then.

The replay of the executor is checked against the reference too (gross, every quote, no delay, the
reference's entry): it must give the reference's closes, so the attribution rests on one model of the
checks, not on two. Anything the model does not reproduce fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import ExitCause
from shared_signals.contract.spec import RunSpec
from shared_signals.contract.timeline import read_timeline
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches
from shared_signals.reference import ReferenceVenue, reference_replay

OWN_ENTRY, FEE_NETTED, TICKS, CREATION, FILL_DELAY = (
    "own entry", "fee netted", "1 s ticks", "time limit from creation", "fill delay")
NEEDED = {FEE_NETTED, TICKS, FILL_DELAY}
"""The data is made so each of these changes at least one close (``offline.py``)."""
BARRIERS = (ExitCause.STOP_LOSS, ExitCause.TRAILING_STOP, ExitCause.TAKE_PROFIT, ExitCause.TIME_LIMIT)


class Quotes:
    def __init__(self, path: Path) -> None:
        frame = pd.read_parquet(path)
        self.ns = pd.to_datetime(frame["timestamp"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
        self.bid, self.ask = frame["bid_price"].to_numpy(), frame["ask_price"].to_numpy()

    def touch(self, t: int, side: int) -> float:
        """The touch in force at ``t`` an order of ``side`` (+1 buy) fills at."""
        i = int(np.searchsorted(self.ns, t, side="right") - 1)
        return float(self.ask[i] if side > 0 else self.bid[i])


def reference(spec: RunSpec) -> pd.DataFrame:
    """The reference replay on the run's own inputs, settings and venue (fee, fill delay), from its spec."""
    core = spec.core
    table = load_signals(spec.signals, spec.instrument, core.loader, core.side, core.regime)
    venue = ReferenceVenue(round(spec.venue.fill_delay_s * NANOS_PER_SECOND), spec.venue.fee_rate or 0.0)
    return pd.DataFrame(reference_replay(iter_quote_batches(spec.quotes), table, core, venue, spec.starting_quote, spec.starting_base))


def executor_close(quotes: Quotes, times, side: int, entry: float, expires_ns: int, fee: float, exits) -> tuple[str, int] | None:
    """PositionExecutor's ``control_barriers`` on the book in force at each of ``times``: the PnL of a
    close at the touch (bid for a long) less ``fee`` (the open fee as a fraction of its notional)."""
    trigger = None
    for t in times:
        pnl = side * (quotes.touch(t, -side) - entry) / entry - fee
        if pnl <= -exits.stop_loss:
            return ExitCause.STOP_LOSS, int(t)
        if trigger is None:
            trigger = pnl - exits.trailing_stop_delta if pnl > exits.trailing_stop_activation else None
        else:
            if pnl < trigger:
                return ExitCause.TRAILING_STOP, int(t)
            trigger = max(trigger, pnl - exits.trailing_stop_delta)
        if pnl >= exits.take_profit:
            return ExitCause.TAKE_PROFIT, int(t)
        if t >= expires_ns:
            return ExitCause.TIME_LIMIT, int(t)
    return None


def positions(frame: pd.DataFrame, code: str, time: str, opening_side) -> list[dict]:
    """Each position, in order: its opening order (signal, side, time, price) and its close (cause, time,
    price; None while open at the end); a flip is a close and an open in one order."""
    found, current = [], None
    for row in frame.itertuples():
        cause, side = getattr(row, code), opening_side(row)
        if isinstance(cause, str) and current is not None:
            current.update(cause=cause, close_ns=int(getattr(row, time)), close_price=float(row.price), close=row)
            found.append(current)
            current = None
        if side * row.position_after > 0:
            current = dict(signal=row.signal_id, side=side, open_ns=int(getattr(row, time)), open_price=float(row.price), open=row,
                           cause=None)
    return found if current is None else [*found, current]


def v2_positions(events: pd.DataFrame) -> list[dict]:
    """V2's positions from its fills, each with its orders' ``order_submitted`` record."""
    submitted = events[events["kind"] == "order_submitted"].reset_index(drop=True)
    fills = events[events["kind"] == "order_filled"].reset_index(drop=True)
    assert len(fills) == len(submitted)
    fills["submitted_ns"] = submitted["sim_ts_ns"].to_numpy()
    fills["submitted_price"] = submitted["price"].to_numpy()
    return positions(fills, "code", "sim_ts_ns", lambda row: 1 if row.side == "BUY" else -1)


def ref_positions(ref: pd.DataFrame) -> list[dict]:
    return positions(ref, "cause", "filled_ns", lambda row: int(row.side))


class TickGrid:
    """The run's clock ticks in market time: the book is set, and market orders fill, on these."""

    def __init__(self, folder: Path, spec: RunSpec) -> None:
        timeline = read_timeline(folder)
        self.anchor = timeline.anchor_market_ns
        self.step = round(spec.settings["tick_size_s"] * timeline.speed * NANOS_PER_SECOND)
        venue = json.loads((folder / "run.json").read_text())["venue"]
        self.fill_delay_ns = int(venue["fill_delay_ns"])

    def floor(self, t: int) -> int:
        return self.anchor + (t - self.anchor) // self.step * self.step

    def on(self, t: int) -> bool:
        return (t - self.anchor) % self.step == 0

    def from_(self, t: int, end: int) -> np.ndarray:
        return np.arange(t, end + self.step, self.step)


def explain(v2: dict, ref: dict, quotes: Quotes, grid: TickGrid, spec: RunSpec) -> set[str]:
    """Why V2's close of a position differs from the reference's (empty: it does not); fails when the
    executor replayed on the quote file does not reproduce it."""
    exits, fee = spec.core.exits, spec.venue.fee_rate
    side, close = v2["side"], v2["close"]
    decided = grid.floor(int(close.submitted_ns))  # the book the executor (or controller) read: its last tick's
    assert close.submitted_price == quotes.touch(decided, -side)
    assert int(close.sim_ts_ns) == decided + grid.fill_delay_ns  # the next tick: TRADE_EXECUTION_DELAY, never the same tick
    assert v2["close_price"] == quotes.touch(v2["close_ns"], -side)  # at the touch of the fill's tick
    reasons = set()
    if (v2["open_ns"], v2["open_price"]) != (ref["open_ns"], ref["open_price"]):
        reasons.add(OWN_ENTRY)
    if v2["close_price"] != close.submitted_price or v2["close_ns"] != decided:
        reasons.add(FILL_DELAY)
    if v2["cause"] == ExitCause.SIGNAL:
        assert 0 <= close.submitted_ns - ref["close"].decided_ns < 2 * grid.step  # the controller's next loop after the signal came
        return reasons | ({TICKS} if decided != ref["close"].decided_ns else set())
    # The reference's closes from the same model: gross, on every quote from its entry fill, timed from it.
    ref_times = quotes.ns[quotes.ns >= ref["open_ns"]]
    ref_expiry = ref["open_ns"] + round(exits.time_limit_s * NANOS_PER_SECOND)
    assert executor_close(quotes, ref_times, side, ref["open_price"], ref_expiry, 0.0, exits) == (ref["cause"], ref["close"].decided_ns)
    # V2's: net of the open fee, on the ticks from its entry fill, the time limit in whole wall seconds from its creation.
    expiry = int(v2["open"].submitted_ns) + round(max(1, round(exits.time_limit_s / spec.speed)) * spec.speed * NANOS_PER_SECOND)
    ticks = grid.from_(v2["open_ns"], int(quotes.ns[-1]) + grid.step)
    cause, at = executor_close(quotes, ticks, side, v2["open_price"], expiry, fee, exits)
    assert cause == v2["cause"] and decided - at in (0, grid.step), (cause, at, v2["cause"], decided)  # its 1 s loop may read a tick late
    if executor_close(quotes, ticks, side, v2["open_price"], expiry, 0.0, exits) != (cause, at):
        reasons.add(FEE_NETTED)
    every_quote = np.concatenate([[v2["open_ns"]], quotes.ns[quotes.ns > v2["open_ns"]]])
    if executor_close(quotes, every_quote, side, v2["open_price"], expiry, fee, exits)[1] != at:
        reasons.add(TICKS)
    if cause == ExitCause.TIME_LIMIT and expiry != v2["open_ns"] + round(exits.time_limit_s * NANOS_PER_SECOND):
        reasons.add(CREATION)
    return reasons


def test_every_reference_close_has_its_v2_counterpart_and_each_difference_is_explained(offline_run):
    spec, events = offline_run.spec, offline_run.events
    quotes, grid = Quotes(Path(spec.quotes)), TickGrid(offline_run.folder, spec)
    ours, theirs = v2_positions(events), ref_positions(reference(spec))
    assert [p["cause"] for p in ours] == [p["cause"] for p in theirs[:-1]] + [ExitCause.END_OF_RUN]
    assert theirs[-1]["cause"] is None  # the reference leaves the last position open at the end of the data
    assert len(theirs) == 6 and {p["cause"] for p in theirs[:-1]} == {*BARRIERS, ExitCause.SIGNAL}
    explained = [explain(v2, ref, quotes, grid, spec) for v2, ref in zip(ours[:-1], theirs[:-1], strict=True)]
    assert all(reasons for reasons in explained)  # no close is where the reference's is, each for a named reason
    assert NEEDED <= set().union(*explained), explained
    end = ours[-1]["close"]  # the orchestrator's stop, after the data: at the touch of its tick, a tick after it read the book
    assert end.submitted_ns >= quotes.ns[-1] and int(end.sim_ts_ns) == grid.floor(int(end.submitted_ns)) + grid.fill_delay_ns
    assert end.price == quotes.touch(int(end.sim_ts_ns), -ours[-1]["side"])


def test_the_same_signals_open_the_same_side_on_a_tick_after_the_signal(offline_run):
    spec, events = offline_run.spec, offline_run.events
    quotes, grid = Quotes(Path(spec.quotes)), TickGrid(offline_run.folder, spec)
    ours, theirs = v2_positions(events), ref_positions(reference(spec))
    assert [(p["signal"], p["side"]) for p in ours] == [(p["signal"], p["side"]) for p in theirs]
    for v2, ref in zip(ours, theirs, strict=True):
        opened = v2["open"]
        assert opened.submitted_ns >= ref["open"].decided_ns  # after the signal's time: the controller decides on its loop
        assert grid.on(v2["open_ns"]) and v2["open_ns"] == grid.floor(int(opened.submitted_ns)) + grid.fill_delay_ns
        assert v2["open_price"] == quotes.touch(v2["open_ns"], v2["side"])
