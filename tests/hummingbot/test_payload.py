"""The payload carries a shared Signal across the file link without losing a bit."""

from __future__ import annotations

import json

import pytest

from poc_hummingbot.payload import SCHEMA_VERSION, PayloadError, build_payload, encode, iso_utc, parse_payload
from shared_signals.config import SignalCoreConfig
from shared_signals.loader import load_signals
from shared_signals.probability import probabilities


def test_every_demo_signal_round_trips_exactly(small_demo):
    table = load_signals(small_demo.signals)
    config = SignalCoreConfig()
    for i in range(len(table)):
        signal = table.signal(i)
        raw = encode(build_payload(signal, table.symbol, 123, config))
        assert parse_payload(raw, table.symbol) == signal


def test_spec_fields(small_demo):
    table = load_signals(small_demo.signals)
    signal = table.signal(len(table) - 1)
    payload = json.loads(encode(build_payload(signal, "BTCUSDT", 42, SignalCoreConfig())))
    spec = {"schema_version", "signal_id", "timestamp", "published_at_ns", "symbol", "action", "strength", "confidence",
            "position_size", "probabilities", "target_pct", "metadata"}
    assert spec <= set(payload)
    assert payload["schema_version"] == SCHEMA_VERSION and payload["published_at_ns"] == 42
    assert payload["timestamp"] == iso_utc(signal.ts_ns) and payload["timestamp"].endswith("Z")
    assert payload["action"] in ("BUY", "SELL", "HOLD", "CLOSE")
    assert payload["probabilities"] == pytest.approx(probabilities(signal.q10, signal.q50, signal.q90).tolist())
    assert sum(payload["probabilities"]) == pytest.approx(1.0)
    assert {"q10", "q50", "q90", "prob_up", "regime"} <= set(payload["metadata"])


def test_nan_is_never_written():
    with pytest.raises(ValueError):
        encode({"q50": float("nan")})


def test_the_reason_names_the_signal_when_it_can(small_demo):
    table = load_signals(small_demo.signals)
    record = build_payload(table.signal(0), table.symbol, 1, SignalCoreConfig())
    record["metadata"]["q90"] = -1.0
    with pytest.raises(PayloadError) as caught:
        parse_payload(encode(record), table.symbol)
    assert caught.value.signal_id == table.signal(0).signal_id and "quantiles out of order" in caught.value.reason
