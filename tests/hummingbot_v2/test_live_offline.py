"""A live ``hummingbot-v2`` run with the network disabled (a new network namespace, only loopback up):
the PositionExecutors open and close positions by each barrier and by a signal, every close's cause
checked against the prices by hand, and the journal has the same record shape as the other platforms'.

The data is made so each exit happens once, in PositionExecutor's order of checks (stop loss, trailing
stop, take profit, time limit), at minute-quotes: a long rises 1.2% in half an hour (take profit), the next
falls 0.8% (stop loss), the next rises 0.5% and falls back 0.3% (the trailing stop arms, then closes),
the next sits still (time limit), the next is flipped short by a signal 20 minutes in; the short is open
at the end of the data."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import numpy as np
import pandas as pd
import psutil
import pytest

from shared_signals.config import ExitParams
from shared_signals.contract.codes import ExitCause
from shared_signals.contract.journal import read_journal
from shared_signals.contract.spec import read_spec
from shared_signals.transport.broker import mosquitto_available

ROOT = Path(__file__).resolve().parents[2]
SPEED = 200.0
FEE = 0.001
EXITS = ExitParams(stop_loss=0.004, take_profit=0.008, time_limit_s=2_400.0, trailing_stop_activation=0.002, trailing_stop_delta=0.001)
START = pd.Timestamp("2025-01-06", tz="UTC")
PRICE_KNOTS = (  # minute, price as a multiple of the start
    (0, 1.0), (30, 1.012), (70, 1.012), (110, 1.012 * 0.992), (120, 1.012 * 0.992),
    (145, 1.012 * 0.992 * 1.005), (165, 1.012 * 0.992 * 1.002), (290, 1.012 * 0.992 * 1.002),
)
LONG, SHORT = (-0.01, 0.01, 0.03, 1, 0.7), (-0.03, -0.01, 0.01, 0, 0.3)
SIGNALS = {2: LONG, 61: LONG, 121: LONG, 181: LONG, 241: LONG, 261: SHORT}
"""Minute: (q10, q50, q90, side, prob_up). Each opens a position from flat, but the last flips it."""
NETNS = shutil.which("unshare") is not None and os.geteuid() == 0


def _offline(command: list[str], env: dict) -> subprocess.CompletedProcess:
    script = "ip link set lo up && exec " + shlex.join(command)
    return subprocess.run(["unshare", "-n", "sh", "-c", script], env=env, capture_output=True, text=True, timeout=400)


def _data(folder: Path) -> tuple[Path, Path]:
    minutes = np.arange(PRICE_KNOTS[-1][0] + 1)
    bid = 50_000.0 * np.interp(minutes, *zip(*PRICE_KNOTS))
    quotes = pd.DataFrame({"timestamp": [START + pd.Timedelta(minutes=int(m)) for m in minutes], "bid_price": bid.round(2),
                           "ask_price": bid.round(2) + 1.0, "bid_size": 0.5, "ask_size": 0.5})
    signals = pd.DataFrame([
        dict(datetime=START + pd.Timedelta(minutes=m), q10=a, q50=b, q90=c, side=d, prob_up=e, vol_risk=0.0, tier_confidence=5.0,
             fg_index=50.0, vol_scaled=0.5, regime_volatility="medium")
        for m, (a, b, c, d, e) in SIGNALS.items()
    ])
    quotes.to_parquet(folder / "quotes.parquet", index=False)
    signals.to_parquet(folder / "signals.parquet", index=False)
    return folder / "quotes.parquet", folder / "signals.parquet"


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory):
    """``poc-eval run`` as a user types it, in the namespace: no broker runs there, so the run starts its
    own on loopback and must leave nothing behind."""
    if not NETNS or not mosquitto_available():
        pytest.skip("needs root with unshare and mosquitto")
    folder = tmp_path_factory.mktemp("v2")
    quotes, signals = _data(folder)
    core = folder / "core.json"
    core.write_text(json.dumps({"exits": msgspec.to_builtins(EXITS)}))
    v2 = folder / "v2.json"
    v2.write_text(json.dumps({"live_start_delay_s": 1.5}))
    market_s = (PRICE_KNOTS[-1][0] + 1) * 60
    command = [sys.executable, "-m", "evaluator.cli", "run", "--platform", "hummingbot-v2", "--mode", "live", "--quotes",
               str(quotes), "--signals", str(signals), "--core-config", str(core), "--hummingbot-v2-config", str(v2),
               "--tolerance", "1h", "--fee-bps", f"{FEE * 10_000:g}", "--speed", f"{SPEED:g}",
               "--duration", f"{market_s / SPEED + 20:.0f}s", "--out", str(folder / "run"), "--run-id", "v2offline"]
    done = _offline(command, {**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    run = folder / "run"
    spec = read_spec(run / "hummingbot-v2" / "spec.json")
    broker = spec.settings["mqtt"]["broker_dir"]  # the run's own: no other broker answers in the namespace
    assert Path(broker).name.startswith("q50-mqtt-run-") and not Path(broker).exists()  # stopped, its password file gone
    assert not [p for p in psutil.process_iter(["cmdline"]) if broker in " ".join(p.info["cmdline"] or [])]
    return spec, read_journal(spec.platform_dir).events


def test_no_network_in_the_namespace():
    if not NETNS:
        pytest.skip("needs root with unshare")
    done = _offline([sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 53), timeout=2)"], dict(os.environ))
    assert done.returncode != 0 and "Network is unreachable" in done.stderr, done.stderr


def _closes(events: pd.DataFrame) -> pd.DataFrame:
    return events[(events.kind == "order_submitted") & events.code.notna()]


def test_every_barrier_and_a_signal_close_positions(offline_run):
    _, events = offline_run
    assert list(_closes(events).code) == [ExitCause.TAKE_PROFIT, ExitCause.STOP_LOSS, ExitCause.TRAILING_STOP,
                                          ExitCause.TIME_LIMIT, ExitCause.SIGNAL, ExitCause.END_OF_RUN], _closes(events)[["code", "signal_id", "sim_ts_ns", "price"]]
    closes = _closes(events)
    assert closes.signal_id.iloc[:4].isna().all()  # a barrier's close belongs to no signal, as on every platform
    assert closes.signal_id.iloc[4] == f"BTCUSDT:{(START + pd.Timedelta(minutes=261)).value}"  # the short that flipped it


def test_each_close_cause_holds_at_the_prices(offline_run):
    """The executor closes when its net PnL (the open fill's fee counted) crosses a barrier; the close's
    submitted price is the touch it read then. Recomputed here from the journal's own fills."""
    spec, events = offline_run
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
    _, events = offline_run
    kinds = set(events.kind)
    assert {"signal_received", "decision", "order_submitted", "order_accepted", "order_filled", "heartbeat"} <= kinds
    fills = events[events.kind == "order_filled"]
    assert fills[["sim_ts_ns", "wall_ns", "side", "qty", "price", "position_after", "fee"]].notna().all().all()
    # every fill follows its order's submission; the position is back to flat after a close
    submitted = events[events.kind == "order_submitted"]
    assert len(fills) == len(submitted)
    assert (fills.seq.to_numpy() > submitted.seq.to_numpy()).all()
    assert abs(fills.position_after.iloc[-1]) < 1e-9
