"""Live exits (``--mode live``) on Nautilus and legacy Hummingbot, through the command line, on minute
quotes made so each barrier and a signal close happen: a long whose price steps up 1.2% (take profit),
one that steps down 0.8% (stop loss), one that steps up 0.5% then back to +0.2% (the trailing stop arms,
then closes), one on a flat price (time limit), one whose take-profit step comes exactly at its time
limit (the barrier wins, as in the reference's order of checks), and one flipped short by a signal; the
short is open when the data ends. Prices move in steps and hold each level for minutes, so a live
decision a little late still sees the quote the reference decided on.

Every close is checked against the prices (recomputed from the journal's fills and the quote file),
against the reference replay recomputed from the run's spec and inputs, and for the run's end. Where a
platform's close differs from the reference's, the difference is the one its live design explains,
checked on the quotes:

- Nautilus closes by resting orders the Sandbox fills on the quote that triggers them: the stop loss and
  trailing stop at that quote's touch, as the reference; the take profit, a LIMIT, at its own price
  (the reference's market close at the touch, beyond it). Its time limit is checked on each quote (the
  live clock is the wall's), so it closes on the first quote at or after the deadline, as the reference.
  On the quote where a resting exit fills and the time limit falls due, the strategy hears of the fill
  only after handling the quote (the node's queues): it sees the quote crosses its resting exit and
  waits for the fill instead of sending the time limit's close.
- Hummingbot decides on its clock's ticks (REALTIME, ``tick`` wall seconds, ``tick * speed`` of market
  time), on the quote in force then, and a market order fills on a later tick (fill delay 0: the next
  tick at the earliest), at the quote in force then. Its time limit counts from its own, later, entry.
  A late tick (a loaded machine skips them) is allowed up to ``MAX_LAG``, less than the shortest price
  level, so the price it closes at is the reference's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import msgspec
import numpy as np
import pandas as pd
import pytest

from shared_signals.config import NANOS_PER_MINUTE, NANOS_PER_SECOND, ExitParams
from shared_signals.contract.codes import ExitCause
from shared_signals.contract.journal import read_journal
from shared_signals.contract.spec import read_spec
from shared_signals.contract.timeline import read_timeline
from tests.exits.test_replays import Quotes, reference
from tests.minute_inputs import write_level_inputs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEED = 200.0
HUMMINGBOT_TICK = "250ms"
EXITS = ExitParams(stop_loss=0.004, take_profit=0.008, time_limit_s=1_200.0, trailing_stop_activation=0.002, trailing_stop_delta=0.001)
START = pd.Timestamp("2025-01-06", tz="UTC")
B = 50_000.0
LEVELS = ((0, B), (12, B * 1.012), (41, B * 1.012 * 0.992), (66, B * 1.012 * 0.992 * 1.005), (72, B * 1.012 * 0.992 * 1.002),
          (141, B * 1.012 * 0.992 * 1.002 * 1.012))
"""Minute the bid steps to a level, the level; the ask is a dollar above."""
END_MINUTE = 180
LONG, SHORT = (-0.01, 0.01, 0.03, 1, 0.7), (-0.03, -0.01, 0.01, 0, 0.3)
SIGNALS = {2: LONG, 31: LONG, 61: LONG, 91: LONG, 121: LONG, 151: LONG, 161: SHORT}
"""Minute: (q10, q50, q90, side, prob_up). Each opens a position from flat, but the last flips it.
The one of minute 121 meets its take-profit step at minute 141, its time limit's deadline."""
CLOSES = [ExitCause.TAKE_PROFIT, ExitCause.STOP_LOSS, ExitCause.TRAILING_STOP, ExitCause.TIME_LIMIT, ExitCause.TAKE_PROFIT,
          ExitCause.SIGNAL]
MAX_LAG = 4 * NANOS_PER_MINUTE
"""Market time a Hummingbot decision may come after the reference's (its tick, plus ticks a loaded
machine skips: 1.2 s of wall time at 200x), under the 5 minutes of the shortest level."""
PRICE_BARRIERS = {ExitCause.STOP_LOSS, ExitCause.TAKE_PROFIT, ExitCause.TRAILING_STOP}
RESTING = PRICE_BARRIERS
"""Nautilus' closes by its own resting orders (the rest are market orders the strategy sends)."""
TICK_PRICE = 0.011
"""A price to the venue's 0.01 tick."""


def _data(folder: Path) -> tuple[Path, Path, Path]:
    return write_level_inputs(folder, START, LEVELS, END_MINUTE, SIGNALS, msgspec.to_builtins(EXITS))


def _run(platform: str, inputs: tuple[Path, Path, Path], out: Path, *flags: str) -> Path:
    quotes, signals, core = inputs
    done = subprocess.run(
        [sys.executable, "-m", "evaluator.cli", "run", "--platform", platform, "--mode", "live", "--speed", f"{SPEED:g}",
         "--quotes", str(quotes), "--signals", str(signals), "--core-config", str(core), "--tolerance", "1h",
         "--out", str(out), "--run-id", "live-exits", *flags],
        capture_output=True, text=True, timeout=400, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out / platform


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-exits")
    inputs = _data(folder)
    return inputs[0], {
        "nautilus": _run("nautilus", inputs, folder / "nautilus"),
        "hummingbot": _run("hummingbot", inputs, folder / "hummingbot", "--tick-size", HUMMINGBOT_TICK),
    }


PLATFORMS = ("nautilus", "hummingbot")


class Journal:
    """One column's journal, its closes paired with their decisions and entries."""

    def __init__(self, folder: Path) -> None:
        self.spec = read_spec(folder / "spec.json")
        self.events = read_journal(folder).events
        self.fills = self.events[self.events.kind == "order_filled"]
        self.submitted = self.events[self.events.kind == "order_submitted"]

    def closes(self) -> pd.DataFrame:
        """Each fill with a cause, with when it was decided (a market close: its order's submission; a
        resting exit: the quote that filled it) and the entry of the position it ends."""
        rows = []
        for fill in self.fills[self.fills.code.notna()].itertuples():
            resting = self.spec.platform == "nautilus" and fill.code in RESTING
            order = self.submitted[(self.submitted.seq < fill.seq) & (self.submitted.code == fill.code)].iloc[-1]
            entry = self.fills[(self.fills.seq < fill.seq) & (self.fills.code.isna() | (self.fills.code == ExitCause.SIGNAL))].iloc[-1]
            rows.append(dict(code=fill.code, seq=fill.seq, side=fill.side, price=fill.price, filled_ns=fill.sim_ts_ns,
                             decided_ns=fill.sim_ts_ns if resting else order.sim_ts_ns, signal_id=fill.signal_id,
                             entry_price=entry.price, entry_ns=entry.sim_ts_ns, long=entry.position_after > 0))
        return pd.DataFrame(rows)

    def tick_ns(self) -> int:
        """Hummingbot's tick in market time."""
        return round(self.spec.settings["tick_size_s"] * self.spec.speed * NANOS_PER_SECOND)


def _profit(close, quotes: Quotes, t: int) -> float:
    """The position's gross profit fraction at the touch it closes at, on the quote in force at ``t``."""
    sign = 1 if close.long else -1
    return sign * (quotes.close_price(t, "SELL" if close.long else "BUY") - close.entry_price) / close.entry_price


def _since_entry(close, quotes: Quotes) -> np.ndarray:
    """The times of the quotes in force from the entry up to (not including) the one decided on."""
    first, last = quotes.in_force(int(close.entry_ns)), quotes.in_force(int(close.decided_ns))
    return np.maximum(quotes.ns[first:last], int(close.entry_ns))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_barrier_and_a_signal_close_positions_with_their_causes(runs, platform):
    _, folders = runs
    closes = Journal(folders[platform]).closes()
    causes = list(closes.code)
    if platform == "nautilus" or ExitCause.END_OF_RUN in causes:  # legacy Hummingbot may close at the end or not
        assert causes == [*CLOSES, ExitCause.END_OF_RUN], causes
    else:
        assert causes == CLOSES, causes
    barriers = closes[closes.code.isin(PRICE_BARRIERS | {ExitCause.TIME_LIMIT})]
    assert barriers.signal_id.isna().all()  # a barrier's close belongs to no signal


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_close_holds_at_the_prices(runs, platform):
    """Recomputed from the journal's fills and the quote file: the barrier crossed at the quote decided
    on and at none before since the entry; the fill at the touch then (Nautilus' take profit at its
    own price); the time limit due; the signal close by the signal in force, against the position."""
    quotes_path, folders = runs
    journal, quotes = Journal(folders[platform]), Quotes(quotes_path)
    signals = pd.read_parquet(journal.spec.signals)
    signal_ns = pd.to_datetime(signals["datetime"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
    for close in journal.closes().itertuples():
        profit = _profit(close, quotes, int(close.decided_ns))
        before = [_profit(close, quotes, int(t)) for t in _since_entry(close, quotes)]
        inside = all(-EXITS.stop_loss < p < EXITS.take_profit for p in before)
        limit_order = platform == "nautilus" and close.code == ExitCause.TAKE_PROFIT
        if limit_order:
            sign = 1 if close.long else -1
            assert close.price == pytest.approx(close.entry_price * (1 + sign * EXITS.take_profit), abs=TICK_PRICE)
        else:
            assert close.price == quotes.close_price(int(close.filled_ns), close.side), close
        assert close.filled_ns >= close.decided_ns
        if close.code == ExitCause.STOP_LOSS:
            assert profit <= -EXITS.stop_loss and inside, close
        elif close.code == ExitCause.TAKE_PROFIT:
            assert profit >= EXITS.take_profit and inside, close
        elif close.code == ExitCause.TRAILING_STOP:
            best = max(before)
            assert inside and best > EXITS.trailing_stop_activation, close
            assert -EXITS.stop_loss < profit < best - EXITS.trailing_stop_delta, close
        elif close.code == ExitCause.TIME_LIMIT:
            due = int(close.entry_ns) + round(EXITS.time_limit_s * NANOS_PER_SECOND)
            assert inside and profit < EXITS.take_profit and profit > -EXITS.stop_loss
            if platform == "nautilus":  # checked on each quote: the first at or after the deadline
                assert close.decided_ns == quotes.ns[np.searchsorted(quotes.ns, due)], close
            else:  # on the clock's ticks: the first at or after it, or a later one a loaded machine reached first
                assert due <= close.decided_ns < due + MAX_LAG, close
        elif close.code == ExitCause.SIGNAL:
            i = np.searchsorted(signal_ns, close.decided_ns, side="right") - 1
            assert close.signal_id == f"BTCUSDT:{signal_ns[i]}" and signals["side"].iloc[i] == (0 if close.long else 1), close


def _nautilus_explains(close, ref, quotes: Quotes, journal: Journal) -> str:
    if (close.filled_ns, close.price) == (ref.filled_ns, ref.price):
        return "same"
    if close.code == ExitCause.TAKE_PROFIT and close.filled_ns == ref.decided_ns:
        beyond = quotes.close_price(int(close.filled_ns), close.side) - close.price  # its limit, checked at its price above
        assert (beyond <= TICK_PRICE) if close.side == "BUY" else (beyond >= -TICK_PRICE)
        return "limit at its price"
    raise AssertionError(f"unexplained: nautilus {close.code} at {close.filled_ns} for {close.price}, reference {ref.filled_ns} for {ref.price}")


def _hummingbot_explains(close, ref, quotes: Quotes, journal: Journal) -> str:
    timeline = read_timeline(journal.spec.platform_dir)
    tick = journal.tick_ns()
    on_ticks = [(t - timeline.anchor_market_ns) % tick == 0 for t in (close.decided_ns, close.filled_ns)]
    if not all(on_ticks):
        raise AssertionError(f"hummingbot {close.code} off its clock's ticks: {close.decided_ns}, {close.filled_ns}")
    # decided on a tick at or after the reference's quote, filled a tick later at the earliest, and the
    # reference's price still in force then (the level holds longer than MAX_LAG)
    if ref.decided_ns <= close.decided_ns < ref.decided_ns + MAX_LAG and close.filled_ns >= close.decided_ns + tick:
        assert close.price == ref.price == quotes.close_price(int(close.filled_ns), close.side)
        return "decided on a tick, filled on a later one"
    raise AssertionError(f"unexplained: hummingbot {close.code} decided {close.decided_ns} filled {close.filled_ns} for "
                         f"{close.price}, reference decided {ref.decided_ns} for {ref.price}")


EXPLAIN = {"nautilus": _nautilus_explains, "hummingbot": _hummingbot_explains}
NEEDED = {"nautilus": "limit at its price", "hummingbot": "decided on a tick, filled on a later one"}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_closes_match_the_reference_replay_or_the_live_design_explains_them(runs, platform):
    quotes_path, folders = runs
    journal, quotes = Journal(folders[platform]), Quotes(quotes_path)
    ours = journal.closes()
    ours = ours[ours.code != ExitCause.END_OF_RUN]
    ref = reference(folders[platform])
    theirs = ref[ref.cause.notna()]
    assert list(ours.code) == list(theirs.cause) == CLOSES
    explained = [EXPLAIN[platform](close, other, quotes, journal)
                 for close, other in zip(ours.itertuples(), theirs.itertuples(), strict=True)]
    assert NEEDED[platform] in explained, explained


def test_nautilus_sends_no_time_limit_close_on_the_quote_a_resting_exit_fills(runs):
    """Minute 141: the take profit's LIMIT fills at the venue on the quote at the time limit's deadline;
    the strategy handles that quote before the fill reaches it, sees the quote crosses the LIMIT's price
    and waits: no time-limit order, no refusal, the fill keeps its cause and the position is flat."""
    _, folders = runs
    journal = Journal(folders["nautilus"])
    events = journal.events
    at = START.value + 141 * NANOS_PER_MINUTE
    assert journal.submitted[journal.submitted.code == ExitCause.TIME_LIMIT].sim_ts_ns.lt(at).all()
    assert events[(events.kind == "order_rejected") & (events.sim_ts_ns == at)].empty
    filled = journal.fills[journal.fills.sim_ts_ns == at]
    assert list(filled.code) == [ExitCause.TAKE_PROFIT] and filled.position_after.iloc[0] == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_no_order_after_the_end_and_flat_when_closing_on_stop(runs, platform):
    """Nautilus closes what is open at the last quote (``close_on_stop``) and sends nothing after it;
    Hummingbot's clock ends one tick after the last quote: no order after that but its close at the
    end, which fills a tick later, and the position is flat if it closed at the end, else the
    reference's (the short)."""
    quotes_path, folders = runs
    journal, quotes = Journal(folders[platform]), Quotes(quotes_path)
    last = int(quotes.ns[-1])
    end = last if platform == "nautilus" else last + journal.tick_ns()
    orders = journal.events[journal.events.kind.isin(["order_submitted", "order_filled", "order_accepted"])]
    closing = orders.code == ExitCause.END_OF_RUN
    assert (orders[~closing].sim_ts_ns <= end).all()
    # Hummingbot's clock runs on after the data until its close at the end fills: on the next tick
    assert (orders[closing].sim_ts_ns <= end + (0 if platform == "nautilus" else journal.tick_ns())).all()
    ends = journal.fills[journal.fills.code == ExitCause.END_OF_RUN]
    final = journal.events[journal.events.kind == "heartbeat"].iloc[-1]
    if platform == "nautilus":
        assert len(ends) == 1 and ends.sim_ts_ns.iloc[0] == last and ends.seq.iloc[0] == journal.fills.seq.max()
        assert journal.submitted.seq.max() < ends.seq.iloc[0]  # the end's close is the last order sent
    if not ends.empty:
        assert journal.fills.position_after.iloc[-1] == 0 and final.position_after == 0
    else:
        ref = reference(folders[platform])
        assert journal.fills.position_after.iloc[-1] == ref.position_after.iloc[-1] == final.position_after < 0
