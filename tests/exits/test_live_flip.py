"""A flip signal on the very quote a Nautilus resting exit fills: the barrier closes, the signal is spent.

Nautilus closes by its own resting orders (take profit LIMIT, stop loss STOP_MARKET, trailing stop
TRAILING_STOP_MARKET). In replay its venue fills a triggered exit before the strategy sees that quote,
so the strategy sees itself flat and the quote's signal is spent, as in the reference replay (barriers
first, ``shared_signals.exits``). Live (the Sandbox), the strategy handles the quote before it hears of
the fill: a flip sent then (twice the position, not reduce-only) would trade after the exit has closed,
and leave a position where the reference is flat.

The data: three longs, each meeting one price barrier on a price step at the minute a short signal
arrives (minute 12: take profit; 41: stop loss; 72: the trailing stop, armed at 66). Prices hold each
level for minutes, so a live decision a little late still sees the quote the reference decided on.
Checked, in both modes, against the reference replay recomputed from the run's spec and inputs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from shared_signals.contract.codes import ExitCause
from tests.exits.test_live_exits import EXITS, LONG, SHORT, SPEED, START, Journal, B
from tests.exits.test_replays import reference
from tests.minute_inputs import write_level_inputs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LEVELS = ((0, B), (12, B * 1.012), (41, B * 1.012 * 0.992), (66, B * 1.012 * 0.992 * 1.005), (72, B * 1.012 * 0.992 * 1.002))
"""Minute the bid steps to a level, the level; the ask is a dollar above."""
END_MINUTE = 90
SIGNALS = {2: LONG, 12: SHORT, 31: LONG, 41: SHORT, 61: LONG, 72: SHORT}
"""Minute: (q10, q50, q90, side, prob_up). Each short comes on the quote a barrier of the long closes."""
CLOSES = [ExitCause.TAKE_PROFIT, ExitCause.STOP_LOSS, ExitCause.TRAILING_STOP]
FLIP_MINUTES = (12, 41, 72)


def _data(folder: Path) -> tuple[Path, Path, Path]:
    return write_level_inputs(folder, START, LEVELS, END_MINUTE, SIGNALS, msgspec.to_builtins(EXITS))


@pytest.fixture(scope="module", params=["replay", "live"])
def run(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(f"flip-{request.param}")
    quotes, signals, core = _data(folder)
    pace = ("--speed", f"{SPEED:g}") if request.param == "live" else ()
    done = subprocess.run(
        [sys.executable, "-m", "evaluator.cli", "run", "--platform", "nautilus", "--mode", request.param, *pace,
         "--quotes", str(quotes), "--signals", str(signals), "--core-config", str(core), "--tolerance", "1h",
         "--out", str(folder / "out"), "--run-id", "flip"],
        capture_output=True, text=True, timeout=400, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / "out" / "nautilus"


def test_the_reference_closes_by_each_barrier_and_spends_the_flip(run):
    """The data does what the module says: in the reference, each short is spent by the barrier's close."""
    ref = reference(run)
    closes = ref[ref.cause.notna()]
    assert list(closes.cause) == CLOSES
    assert list(closes.decided_ns) == [START.value + m * 60 * 10**9 for m in FLIP_MINUTES]
    assert (ref[ref.cause.isna()].side > 0).all() and (closes.position_after == 0).all()  # no short opened: every flip spent
    assert ref.position_after.iloc[-1] == 0


def test_a_flip_on_the_quote_a_resting_exit_fills_trades_nothing(run):
    """Nautilus closes by the same barriers on the same quotes, and no short signal trades: no order
    carries a short's id, no fill leaves a short, and nothing is open at the end (no end_of_run close)."""
    journal = Journal(run)
    closes = journal.closes()
    assert list(closes.code) == CLOSES, list(journal.fills.code)
    assert list(closes.filled_ns) == [START.value + m * 60 * 10**9 for m in FLIP_MINUTES]
    shorts = {f"BTCUSDT:{START.value + m * 60 * 10**9}" for m in FLIP_MINUTES}
    assert not journal.submitted.signal_id.isin(shorts).any(), journal.submitted
    assert (journal.fills.position_after >= 0).all() and journal.fills.position_after.iloc[-1] == 0
    received = journal.events[journal.events.kind == "signal_received"]
    assert shorts <= set(received.signal_id)  # each short was seen, on its quote, and spent
    assert list(received[received.signal_id.isin(shorts)].sim_ts_ns) == [START.value + m * 60 * 10**9 for m in FLIP_MINUTES]
