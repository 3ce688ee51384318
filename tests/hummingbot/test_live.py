"""Live paper mode: a REALTIME clock in this process, the provider in another, the file between them."""

from __future__ import annotations

import json

import psutil
import pytest

from shared_signals.contract.journal import EVENTS_PARQUET, read_journal
from shared_signals.contract.run_info import RUN_JSON
from poc_hummingbot import app
from poc_hummingbot.config import PROVIDER_DIR, PROVIDER_LOG, SIGNAL_HISTORY, SIGNALS_DIR, HummingbotConfig
from shared_signals.config import NANOS_PER_SECOND, ProbabilityParams, SignalCoreConfig
from tests.hummingbot.conftest import replay_options, with_config

TICK_S = 0.25
TICK_NS = round(TICK_S * NANOS_PER_SECOND)
SPEED = 8.0
"""40 market seconds of quotes in 5 wall seconds; the three signals arrive 0.25, 1.5 and 3 s in."""


@pytest.mark.slow
def test_two_processes_trade_and_both_journals_are_complete(tmp_path, handmade):
    quotes, signals = handmade
    pinned = SignalCoreConfig(probability=ProbabilityParams(target_pct_min=0.003, target_pct_max=0.003))
    options = replay_options(
        tmp_path, quotes, signals, mode="live", speed=SPEED, heartbeat_s=0.5, core=pinned
    )
    result = app.run(with_config(options, HummingbotConfig(live_start_delay_s=2.0, tick_size_s=TICK_S)))
    assert psutil.Process().children() == []  # the provider is gone

    folder = result.platform_dir
    published = read_journal(folder / PROVIDER_DIR).events
    events = read_journal(folder).events
    kinds = events["kind"].value_counts().to_dict()
    assert list(published["kind"]) == ["signal_published"] * 3
    assert kinds.get("signal_received") == 3 and kinds.get("order_submitted") == 3 and kinds.get("order_filled") == 3
    assert kinds.get("heartbeat", 0) >= 5 and "error" not in kinds and "signal_skipped" not in kinds
    assert (result.orders, result.fills) == (3, 3)
    assert (folder / EVENTS_PARQUET).exists() and (folder / PROVIDER_DIR / EVENTS_PARQUET).exists()
    assert "published 3 signals" in (folder / PROVIDER_DIR / PROVIDER_LOG).read_text()

    received = events[events["kind"] == "signal_received"].set_index("signal_id")
    submitted = events[events["kind"] == "order_submitted"].set_index("signal_id")
    published = published.set_index("signal_id")
    assert list(received.index) == list(published.index)
    latency_ns = submitted["wall_ns"] - published.loc[submitted.index, "wall_ns"]
    assert (latency_ns > 0).all() and (latency_ns < TICK_NS + NANOS_PER_SECOND // 2).all()
    assert events.loc[events["kind"] == "order_filled", "position_after"].iloc[-1] == 0.0  # the hold signal closed it

    history = (folder / SIGNALS_DIR / SIGNAL_HISTORY).read_text().splitlines()
    assert [json.loads(line)["target_pct"] for line in history] == [0.003] * 3  # the provider runs the run's core config

    run_info = json.loads((folder / RUN_JSON).read_text())
    live = run_info["platform"]["live"]
    assert run_info["spec"]["mode"] == "live" and live["timeline"]["speed"] == SPEED
    assert live["provider_command"][2:4] == ["poc_hummingbot.provider_process", str(folder / "spec.json")]
