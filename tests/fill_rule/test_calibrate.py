"""Calibration checks every run against the rules themselves, not against a baseline or a formula:
a fill a tick late, at the next quote, or off the touch in force fails; and ``poc-eval calibrate``
passes on the demo grid and on sparse quotes with gaps."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.calibration import ActsAt, delivery_row, fill_row, receipts
from evaluator.cli import main
from evaluator.harness.calibrate import CALIBRATION_DATA, CALIBRATION_JSON
from tests.evaluator.journals import S, events

T0 = 1_736_121_600 * S
QUOTES = pd.DataFrame({"ts_ns": [T0, T0 + 900 * S, T0 + 1800 * S, T0 + 2700 * S],
                       "bid": [100.0, 110.0, 120.0, 130.0], "ask": [101.0, 111.0, 121.0, 131.0]})
"""Four 15-minute quotes, the touch as ``reference/touch.parquet`` holds it."""
ORDERS_AT = [T0, T0 + 900 * S, T0 + 1800 * S]


def journal(fill_after_ns: list[int], prices: list[float]):
    """A buy per quote, each filled ``fill_after_ns`` after its order at ``price``."""
    rows = []
    for k, (t, after, price) in enumerate(zip(ORDERS_AT, fill_after_ns, prices)):
        rows += [dict(kind="order_submitted", signal_id=f"s{k}", side="BUY", sim_ts_ns=t),
                 dict(kind="order_filled", signal_id=f"s{k}", side="BUY", price=price, sim_ts_ns=t + after)]
    return events(*rows)


def test_fills_at_the_delay_and_the_touch_in_force_pass():
    row = fill_row("sparse", "nautilus", 2 * S, journal([2 * S] * 3, [101.0, 111.0, 121.0]), QUOTES)
    assert (row.passed, row.count, row.worst_miss_ms, row.off_touch, row.measured_p50_ms) == (True, 3, 0.0, 0, 2_000.0)


def test_fills_at_the_next_quote_fail():
    """The old Nautilus rule on 15-minute quotes: stamped and priced at the next quote, 900 s later."""
    row = fill_row("sparse", "nautilus", 2 * S, journal([900 * S] * 3, [111.0, 121.0, 131.0]), QUOTES)
    assert not row.passed and row.worst_miss_ms == 898_000.0 and row.off_touch == 0


def test_a_fill_a_tick_late_fails():
    """The old Hummingbot rule: no delay set, and every fill one 1 s tick later."""
    row = fill_row("sparse", "hummingbot", 0, journal([S] * 3, [101.0, 111.0, 121.0]), QUOTES)
    assert not row.passed and row.worst_miss_ms == 1_000.0


def test_a_fill_stamped_right_but_priced_off_the_touch_in_force_fails():
    row = fill_row("sparse", "nautilus", 2 * S, journal([2 * S] * 3, [101.0, 121.0, 121.0]), QUOTES)
    assert not row.passed and row.worst_miss_ms == 0.0 and row.off_touch == 1


def test_a_wrong_expectation_fails():
    """The same journal checked against another injected delay than the one it was run with."""
    row = fill_row("sparse", "nautilus", 2_500_000_000, journal([2 * S] * 3, [101.0, 111.0, 121.0]), QUOTES)
    assert not row.passed and row.worst_miss_ms == 500.0


def test_nothing_measured_fails():
    assert not fill_row("sparse", "nautilus", 0, events(dict(kind="heartbeat", sim_ts_ns=T0)), QUOTES).passed


def test_the_platform_acts_at_its_next_quote_or_tick():
    quotes = ActsAt(quotes_ns=QUOTES["ts_ns"].to_numpy())
    assert list(quotes.first_at_or_after(np.array([T0, T0 + 1, T0 + 2700 * S]))) == [T0, T0 + 900 * S, T0 + 2700 * S]
    assert np.isnan(quotes.first_at_or_after(np.array([T0 + 2701 * S]))[0])  # after the last quote: never
    ticks = ActsAt(first_ns=T0, tick_ns=S)
    assert list(ticks.first_at_or_after(np.array([T0 + 2_500_000_000, T0 + 3 * S]))) == [T0 + 3 * S, T0 + 3 * S]


SCHEDULE = pd.DataFrame({"signal_id": ["a", "b"], "ts_ns": [T0, T0 + 3600 * S]})


def received(*times_ns):
    return events(*(dict(kind="signal_received", signal_id=s, sim_ts_ns=t) for s, t in zip("ab", times_ns)),
                  dict(kind="signal_received", signal_id="z", sim_ts_ns=1))  # not in the schedule: not measured


def test_the_receipt_runs_from_the_signal_s_own_time():
    got = receipts(received(T0 + 3 * S, T0 + 3600 * S), SCHEDULE)
    assert (got["received_ns"] - got["signal_ns"]).to_dict() == {"a": 3 * S, "b": 0}


def test_a_receipt_at_the_rule_s_moment_passes_and_a_tick_late_fails():
    ticks = ActsAt(first_ns=T0, tick_ns=S)
    on_time = delivery_row("demo", "hummingbot", 2_500_000_000, received(T0 + 3 * S, T0 + 3603 * S), SCHEDULE, ticks)
    assert on_time.passed and on_time.expected_p50_ms == 3_000.0
    late = delivery_row("demo", "hummingbot", 2_500_000_000, received(T0 + 3 * S, T0 + 3604 * S), SCHEDULE, ticks)
    assert not late.passed and late.worst_miss_ms == 1_000.0
    wrong_grid = delivery_row("demo", "hummingbot", 2_500_000_000, received(T0 + 3 * S, T0 + 3603 * S), SCHEDULE,
                              ActsAt(first_ns=T0, tick_ns=2 * S))
    assert not wrong_grid.passed


@pytest.mark.slow
def test_calibrate_passes_on_the_demo_grid_and_on_sparse_quotes_with_gaps(tmp_path):
    assert main(["calibrate", "--delays", "2500ms", "--out", str(tmp_path)]) == 0
    (root,) = tmp_path.iterdir()
    rows = json.loads((root / CALIBRATION_JSON).read_text())
    data_sets = [d.name for d in CALIBRATION_DATA]
    assert {(r["data"], r["stage"], r["column"], r["injected_ms"]) for r in rows} == {
        (d, stage, column, injected) for d in data_sets for stage in ("fill", "delivery")
        for column in ("nautilus", "hummingbot") for injected in (0.0, 2_500.0)}
    assert all(r["passed"] and r["count"] >= 10 and r["off_touch"] == 0 for r in rows)
    expected = {(r["data"], r["stage"], r["column"], r["injected_ms"]): r["expected_p50_ms"] for r in rows if r["injected_ms"]}
    assert all(v == 2_500.0 for (_, stage, _, _), v in expected.items() if stage == "fill")  # the delay itself, everywhere
    assert expected["demo-grid", "delivery", "nautilus", 2_500.0] == 3_000.0  # the next 1 s quote
    assert expected["sparse-gaps", "delivery", "nautilus", 2_500.0] == 900_000.0  # the next 15-minute quote
    assert expected["sparse-gaps", "delivery", "hummingbot", 2_500.0] == 3_000.0  # the next 1 s tick
