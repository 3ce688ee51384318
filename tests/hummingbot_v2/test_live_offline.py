"""A live ``hummingbot-v2`` run with the network disabled (a new network namespace, only loopback up):
the PositionExecutors open and close positions by each barrier and by a signal, every close's cause
checked against the prices by hand, and the journal has the same record shape as the other platforms'.
The run is ``conftest.py``'s ``offline_run`` (shared with ``test_reference.py``), its data ``offline.py``'s."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from shared_signals.contract.codes import ExitCause
from tests.hummingbot_v2.offline import EXITS, FEE, NETNS, SPEED, START, offline


def test_no_network_in_the_namespace():
    if not NETNS:
        pytest.skip("needs root with unshare")
    done = subprocess.run(offline([sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 53), timeout=2)"]),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Network is unreachable" in done.stderr, done.stderr


def _closes(events: pd.DataFrame) -> pd.DataFrame:
    return events[(events.kind == "order_submitted") & events.code.notna()]


def test_every_barrier_and_a_signal_close_positions(offline_run):
    events = offline_run.events
    assert list(_closes(events).code) == [ExitCause.TAKE_PROFIT, ExitCause.STOP_LOSS, ExitCause.TRAILING_STOP,
                                          ExitCause.TIME_LIMIT, ExitCause.SIGNAL, ExitCause.END_OF_RUN], _closes(events)[["code", "signal_id", "sim_ts_ns", "price"]]
    closes = _closes(events)
    assert closes.signal_id.iloc[:4].isna().all()  # a barrier's close belongs to no signal, as on every platform
    assert closes.signal_id.iloc[4] == f"BTCUSDT:{(START + pd.Timedelta(minutes=261)).value}"  # the short that flipped it


def test_each_close_cause_holds_at_the_prices(offline_run):
    """The executor closes when its net PnL (the open fill's fee counted) crosses a barrier; the close's
    submitted price is the touch it read then. Recomputed here from the journal's own fills."""
    events = offline_run.events
    opens = events[(events.kind == "order_filled") & events.code.isna()]
    for close in _closes(events).itertuples():
        if close.code not in (ExitCause.STOP_LOSS, ExitCause.TAKE_PROFIT, ExitCause.TRAILING_STOP):
            continue
        entry = opens[opens.seq < close.seq].iloc[-1]  # the position's entry: the last opening fill before
        side = 1 if entry.side == "BUY" else -1
        net = side * (close.price - entry.price) / entry.price - FEE
        if close.code == ExitCause.STOP_LOSS:
            assert net <= -EXITS.stop_loss + 1e-9
        elif close.code == ExitCause.TAKE_PROFIT:
            assert net >= EXITS.take_profit - 1e-9
        else:  # trailing: armed earlier (activation passed), now fallen back, and no other barrier crossed first
            assert -EXITS.stop_loss < net < EXITS.take_profit
    time_closes = _closes(events)[_closes(events).code == ExitCause.TIME_LIMIT]
    submitted = events[events.kind == "order_submitted"]
    for close in time_closes.itertuples():
        opened = submitted[submitted.code.isna() & (submitted.seq < close.seq)].iloc[-1]
        held_wall_s = (close.wall_ns - opened.wall_ns) / 1e9
        assert held_wall_s >= round(EXITS.time_limit_s / SPEED) - 1.0  # the executor counts from its creation, just before


def test_journal_shape_matches_the_other_platforms(offline_run):
    events = offline_run.events
    kinds = set(events.kind)
    assert {"signal_received", "decision", "order_submitted", "order_accepted", "order_filled", "heartbeat"} <= kinds
    fills = events[events.kind == "order_filled"]
    assert fills[["sim_ts_ns", "wall_ns", "side", "qty", "price", "position_after", "fee"]].notna().all().all()
    # every fill follows its order's submission; the position is back to flat after a close
    submitted = events[events.kind == "order_submitted"]
    assert len(fills) == len(submitted)
    assert (fills.seq.to_numpy() > submitted.seq.to_numpy()).all()
    assert abs(fills.position_after.iloc[-1]) < 1e-9
