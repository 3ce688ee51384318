"""Malformed MQTT messages never trade: each is journaled as received (arrival) and skipped (why),
whatever arrives on the topic. The strategy runs on a BACKTEST clock; a test publisher sends raw bytes
through the real broker."""

from __future__ import annotations

import json

import pytest

from shared_signals.transport.mqtt.publisher import MqttSink
from tests.hummingbot.conftest import Harness, buy_signal, edited, kinds, replay_options, with_config
from tests.mqtt.conftest import with_transport
from shared_signals.contract.codes import Delivery

ARRIVAL_TIMEOUT_S = 5.0


@pytest.fixture
def mqtt_harness(tmp_path, handmade, mqtt_config, event_loop_for_connector):
    quotes, signals = handmade
    harness = Harness(with_config(replay_options(tmp_path, quotes, signals), with_transport(mqtt_config)))
    sink = MqttSink(mqtt_config.mqtt, harness.session.source.topic, "q50-test-publisher")
    sink.start()
    sent = 0

    def publish(*payloads: bytes) -> None:
        nonlocal sent
        for payload in payloads:
            assert sink.send(payload, "test") == (Delivery.ACKNOWLEDGED, "mqtt qos 1: acknowledged")
        sent += len(payloads)
        assert harness.session.source.wait_for(sent, ARRIVAL_TIMEOUT_S) >= sent

    harness.publish = publish
    try:
        yield harness
    finally:
        sink.close()
        harness.session.close()


MALFORMED = {  # case: (message, expected reason)
    "garbage": (lambda h: b"\x00\xffnot json{{", "not valid JSON"),
    "not UTF-8": (lambda h: b"\xc3\x28\xa0\xa1", "not valid JSON"),
    "empty": (lambda h: b"", "empty signal file"),
    "array": (lambda h: b"[0.2, 0.3, 0.5]", "expected a JSON object"),
    "livestream only": (lambda h: json.dumps({"id": "x", "trading_pair": "BTC-USDT", "probabilities": [0.1, 0.2, 0.7],
                                              "target_pct": 0.01, "timestamp": "2025-01-06T00:00:02Z"}).encode(),
                        "signal_id must be a non-empty string"),
    "other pair": (edited(lambda r: r.update(trading_pair="ETH-USDT")), "trading_pair 'ETH-USDT'"),
    "id differs": (edited(lambda r: r.update(id="BTCUSDT:1")), "differs from signal_id"),
    "no id": (edited(lambda r: r.pop("id")), "id None differs"),
    "NaN": (lambda h: h.payload(buy_signal(h)).replace(b'"q50":0.01', b'"q50":NaN'), "non-finite number NaN"),
    "q10 > q90": (edited(lambda r: r["metadata"].update(q10=0.5)), "quantiles out of order"),
    "too large": (lambda h: b" " * 70_000 + h.payload(buy_signal(h)), "MQTT message larger than"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_messages_never_trade(mqtt_harness, case):
    make, reason = MALFORMED[case]
    mqtt_harness.publish(make(mqtt_harness))
    mqtt_harness.run_until(20)
    skipped = mqtt_harness.kinds("signal_skipped")
    assert len(skipped) == 1 and skipped["code"].iloc[0] == "invalid" and reason in skipped["reason"].iloc[0]
    assert len(mqtt_harness.kinds("message_received")) == 1
    assert mqtt_harness.kinds("order_submitted").empty and mqtt_harness.kinds("signal_received").empty


def test_a_valid_message_trades_and_a_redelivery_is_a_counted_duplicate(mqtt_harness):
    data = mqtt_harness.payload(buy_signal(mqtt_harness))
    mqtt_harness.publish(data)
    mqtt_harness.run_until(6)
    mqtt_harness.publish(data)  # as a QoS 1 resend whose first copy did arrive
    mqtt_harness.run_until(10)
    assert len(mqtt_harness.kinds("order_submitted")) == 1 and len(mqtt_harness.kinds("order_filled")) == 1
    assert list(mqtt_harness.kinds("signal_skipped")["code"]) == ["duplicate"]
    arrivals = kinds(mqtt_harness.events(), "message_received")
    assert len(arrivals) == 2 and arrivals["signal_id"].nunique() == 1


def test_a_burst_between_two_ticks_is_taken_in_arrival_order(mqtt_harness):
    older, newer = buy_signal(mqtt_harness, 2.0), buy_signal(mqtt_harness, 3.0)
    mqtt_harness.publish(mqtt_harness.payload(newer), mqtt_harness.payload(older))
    mqtt_harness.run_until(6)
    assert list(mqtt_harness.kinds("signal_received")["signal_id"]) == [newer.signal_id]
    assert list(mqtt_harness.kinds("signal_skipped")["code"]) == ["out_of_order"]
