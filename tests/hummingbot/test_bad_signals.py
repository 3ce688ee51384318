"""Signal files that must never trade: garbage, half-written, empty, wrong schema, bad numbers, stale,
duplicate. Each is journaled as ``signal_skipped`` with its reason, once, however many ticks it sits there."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared_signals.config import NANOS_PER_SECOND, LoaderParams, SignalCoreConfig
from tests.hummingbot.conftest import buy_signal, edited


def test_a_valid_file_trades(harness):
    harness.write(harness.payload(buy_signal(harness)))
    harness.run_until(6)
    assert len(harness.kinds("order_submitted")) == 1 and len(harness.kinds("order_filled")) == 1
    assert harness.kinds("signal_skipped").empty


def test_half_written_then_completed(harness):
    data = harness.payload(buy_signal(harness))
    harness.write(data[: len(data) // 2])
    harness.run_until(10)
    skipped = harness.kinds("signal_skipped")
    assert len(skipped) == 1 and "not valid JSON" in skipped["reason"].iloc[0]
    assert harness.kinds("order_submitted").empty
    harness.write(data)  # the rest arrives: a valid signal, 9 s old when read at 11 s, within the tolerance
    harness.run_until(14)
    assert len(harness.kinds("order_submitted")) == 1


def raw(data: bytes):
    return lambda harness: data


BAD_FILES = {  # case: (file content, expected reason)
    "garbage": (raw(b"\x00\xffnot json at all{{"), "not valid JSON"),
    "empty": (raw(b""), "empty signal file"),
    "whitespace": (raw(b"  \n"), "empty signal file"),
    "array": (raw(b"[1, 2, 3]"), "expected a JSON object"),
    "wrong schema": (edited(lambda r: r.update(schema_version=99)), "schema_version 99"),
    "wrong symbol": (edited(lambda r: r.update(symbol="ETHUSDT")), "symbol 'ETHUSDT'"),
    "NaN": (lambda h: h.payload(buy_signal(h)).replace(b'"q50":0.01', b'"q50":NaN'), "non-finite number NaN"),
    "q10 > q90": (edited(lambda r: r["metadata"].update(q10=0.5)), "quantiles out of order"),
    "missing field": (edited(lambda r: r["metadata"].pop("prob_up")), "metadata.prob_up"),
    "bad side": (edited(lambda r: r["metadata"].update(side=7)), "metadata.side"),
    "bad time": (edited(lambda r: r.update(timestamp="soon")), "not an ISO time"),
    "times disagree": (edited(lambda r: r.update(timestamp_ns=r["timestamp_ns"] + 10**9)), "disagree"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_never_trade_and_are_journaled_once(harness, case):
    make, reason = BAD_FILES[case]
    harness.write(make(harness))
    harness.run_until(20)
    skipped = harness.kinds("signal_skipped")
    assert len(skipped) == 1, skipped
    assert skipped["code"].iloc[0] == "invalid" and reason in skipped["reason"].iloc[0]
    assert harness.kinds("order_submitted").empty and harness.kinds("signal_received").empty


def test_a_too_large_file_is_refused_unread(harness):
    harness.write(b" " * 70_000 + harness.payload(buy_signal(harness)))
    harness.run_until(8)
    assert "larger than" in harness.kinds("signal_skipped")["reason"].iloc[0]
    assert harness.kinds("order_submitted").empty


def test_stale_signal_is_skipped_once(make_harness):
    harness = make_harness(core=SignalCoreConfig(loader=LoaderParams(tolerance_ns=10 * NANOS_PER_SECOND)))
    harness.run_until(30)
    stale = buy_signal(harness, second=2.0)  # 29 s old when read on the next tick
    harness.write(harness.payload(stale, published_at_ns=1))
    harness.run_until(33)
    harness.write(harness.payload(stale, published_at_ns=2))  # published again: new bytes, same signal and reason
    harness.run_until(36)
    skipped = harness.kinds("signal_skipped")
    assert len(skipped) == 1 and skipped["code"].iloc[0] == "stale"
    assert skipped["reason"].iloc[0].startswith("stale: 29.0 s old, tolerance 10 s")
    assert harness.kinds("order_submitted").empty


def test_duplicate_signal_id_is_skipped_even_with_new_content(harness):
    signal = buy_signal(harness)
    harness.write(harness.payload(signal))
    harness.run_until(6)
    assert len(harness.kinds("order_filled")) == 1
    flipped = replace(signal, side=0, prob_up=0.1, q10=-0.03, q50=-0.01, q90=0.01)  # would SELL if accepted
    for published_at_ns in (5, 6):
        harness.write(harness.payload(flipped, published_at_ns=published_at_ns))
        harness.run_until(8 + published_at_ns)
    skipped = harness.kinds("signal_skipped")
    assert list(skipped["code"]) == ["duplicate"]
    assert skipped["signal_id"].iloc[0] == signal.signal_id
    assert len(harness.kinds("order_submitted")) == 1


def test_an_older_signal_than_the_one_in_force_is_skipped(harness):
    harness.write(harness.payload(buy_signal(harness, second=4.0)))
    harness.run_until(6)
    harness.write(harness.payload(buy_signal(harness, second=3.0)))
    harness.run_until(8)
    assert list(harness.kinds("signal_skipped")["code"]) == ["out_of_order"]
    assert len(harness.kinds("signal_received")) == 1
