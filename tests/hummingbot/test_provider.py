"""The provider: which signals it publishes, when, and that it stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from shared_signals.contract.journal import EVENTS_PARQUET, read_journal
from poc_hummingbot.config import LATEST_SIGNAL, PROVIDER_DIR, SIGNALS_DIR
from shared_signals.transport.mqtt.config import MqttConfig
from poc_hummingbot.provider import DueSignals, ProviderSettings, SignalPublisher, publication_schedule, run_live_provider
from poc_hummingbot.replay import ClockedProvider
from poc_hummingbot.transport import FILE, open_sink
from shared_signals.config import NANOS_PER_SECOND, SignalCoreConfig
from shared_signals.loader import load_signals
from tests.hummingbot.conftest import at

S = NANOS_PER_SECOND
TOLERANCE = 300 * S
LATENESS_MS = 50
"""The provider publishes within this of a signal's wall time (it sleeps until then, then writes)."""


def test_schedule_starts_with_the_signal_in_force_and_ends_at_the_end():
    times = [0, 100 * S, 200 * S, 700 * S, 900 * S]
    assert publication_schedule(times, 150 * S, None, TOLERANCE) == [1, 2, 3, 4]
    assert publication_schedule(times, 200 * S, 700 * S, TOLERANCE) == [2, 3]
    assert publication_schedule(times, 600 * S, None, TOLERANCE) == [3, 4]  # the one at 200 s is stale by then
    assert publication_schedule(times, -5 * S, 50 * S, TOLERANCE) == [0]


def test_live_provider_publishes_on_its_timeline(tmp_path, handmade):
    _, signals = handmade
    anchor = time.time_ns() + NANOS_PER_SECOND // 2  # room to load the signals before the first is due
    settings = ProviderSettings(
        signals=signals, platform_dir=tmp_path, run_id="p", speed=40.0, start_ns=at(0), anchor_wall_ns=anchor
    )
    assert run_live_provider(settings) == 3
    events = read_journal(tmp_path / PROVIDER_DIR).events
    scheduled = [anchor + (at(s) - at(0)) / 40.0 for s in (2, 12, 24)]
    lateness_ms = [(wall - due) / 1e6 for wall, due in zip(events["wall_ns"], scheduled)]
    assert all(0 <= late < LATENESS_MS for late in lateness_ms), lateness_ms
    latest = json.loads((tmp_path / SIGNALS_DIR / LATEST_SIGNAL).read_bytes())
    assert latest["signal_id"] == f"BTCUSDT:{at(24)}" and latest["published_at_ns"] == events["wall_ns"].iloc[-1]


def test_provider_process_stops_cleanly_on_sigterm(tmp_path, handmade):
    _, signals = handmade
    process = subprocess.Popen(
        [sys.executable, "-m", "evaluator.cli", "provider", "--signals", str(signals), "--out", str(tmp_path),
         "--speed", "1", "--start", str(at(2))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        latest = tmp_path / SIGNALS_DIR / LATEST_SIGNAL
        deadline = time.monotonic() + 30
        while not latest.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "provider stopped" in stdout
    assert (tmp_path / PROVIDER_DIR / EVENTS_PARQUET).exists()
    assert list(read_journal(tmp_path / PROVIDER_DIR).events["signal_id"]) == [f"BTCUSDT:{at(2)}"]


def test_a_replay_delivery_that_does_not_arrive_in_time_is_journaled_once(tmp_path, handmade):
    _, signals = handmade
    table = load_signals(signals)
    publisher = SignalPublisher(table, tmp_path, "p", SignalCoreConfig(), open_sink(FILE, tmp_path, MqttConfig(), "BTC-USDT", "p"))
    awaited: list[int] = []

    def first_one_lost(count: int, timeout_s: float) -> int:
        awaited.append(count)
        return count - 1 if len(awaited) == 1 else count  # the first message never arrives; the next ones do

    late: list[tuple[str, str, int]] = []
    provider = ClockedProvider(
        publisher, DueSignals(table, [0, 1]), lambda timestamp: int(timestamp * S), first_one_lost, 0.01,
        lambda code, reason, t_ns: late.append((code, reason, t_ns)),
    )
    provider.tick(table.ts_ns[0] / S)
    provider.tick(table.ts_ns[1] / S)
    publisher.close()
    assert len(late) == 1 and late[0][0] == "delivery_late" and late[0][1].startswith("MQTT delivery: 1 messages published, 0 arrived")
    assert awaited == [1, 1]  # the second tick waits for its own message, not again for the lost one
