"""Calibration: the venues' quantisation stated exactly, a deliberately wrong measurement fails, and
``poc-eval calibrate`` passes on a short real run of both platforms."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from evaluator.analysis.calibration import FILL_STAGE, Quantisation, calibration_rows, fill_delays_ms, receipt_delays_ms
from evaluator.cli import main
from evaluator.harness.calibrate import CALIBRATION_JSON
from tests.evaluator.journals import S, events

MS = 1_000_000


@pytest.mark.parametrize(("rule", "injected_ms", "given_ms"), [
    (Quantisation(grid_ns=S), 0, 0), (Quantisation(grid_ns=S), 2_500, 3_000), (Quantisation(grid_ns=S), 3_000, 3_000),
    (Quantisation(grid_ns=S, at_least_ns=S), 0, 1_000), (Quantisation(grid_ns=S, at_least_ns=S), 300, 1_000),
    (Quantisation(grid_ns=500 * MS, at_least_ns=500 * MS), 1_200, 1_500),
])
def test_each_venue_rounds_a_delay_as_stated(rule, injected_ms, given_ms):
    assert rule.delay_ns(injected_ms * MS) == given_ms * MS


def orders_filled_after(delays_ns: list[int]):
    rows = []
    for k, delay in enumerate(delays_ns):
        t = (k + 1) * 300 * S
        rows += [dict(kind="order_submitted", signal_id=f"s{k}", sim_ts_ns=t), dict(kind="order_filled", signal_id=f"s{k}", sim_ts_ns=t + delay)]
    return events(*rows)


RULE = {"nautilus": Quantisation(grid_ns=S)}


def measured(runs):
    return {delay: {p: fill_delays_ms(events) for p, events in journals.items()} for delay, journals in runs.items()}


def test_a_measurement_that_matches_the_injected_delay_passes():
    runs = {0: {"nautilus": orders_filled_after([0, 0, 0])}, 2_500 * MS: {"nautilus": orders_filled_after([3 * S] * 3)}}
    (row,) = calibration_rows(FILL_STAGE, measured(runs), RULE)
    assert (row.expected_shift_ms, row.measured_shift_p50_ms, row.worst_miss_ms, row.fills, row.passed) == (3_000.0, 3_000.0, 0.0, 3, True)


def test_fill_stamps_shifted_by_a_few_ms_fail_calibration():
    """A journal whose fill stamps are off by 2 ms on one fill: more than 1 ms and more than 5% of nothing."""
    runs = {0: {"nautilus": orders_filled_after([0, 0, 0])},
            2_500 * MS: {"nautilus": orders_filled_after([3 * S, 3 * S + 2 * MS, 3 * S])}}
    (row,) = calibration_rows(FILL_STAGE, measured(runs), RULE)
    assert row.passed is False and row.worst_miss_ms == pytest.approx(2.0)


def test_a_delay_the_venue_did_not_apply_fails_calibration():
    runs = {0: {"nautilus": orders_filled_after([0, 0])}, 5 * S: {"nautilus": orders_filled_after([0, 0])}}
    (row,) = calibration_rows(FILL_STAGE, measured(runs), RULE)
    assert row.passed is False and row.measured_shift_p50_ms == 0.0 and row.expected_shift_ms == 5_000.0


def test_the_receipt_delay_runs_from_the_signal_s_own_time():
    schedule = pd.DataFrame({"signal_id": ["a", "b"], "ts_ns": [10 * S, 20 * S]})
    journal = events(dict(kind="signal_received", signal_id="a", sim_ts_ns=13 * S),
                     dict(kind="signal_received", signal_id="b", sim_ts_ns=20 * S), dict(kind="signal_received", signal_id="z", sim_ts_ns=1))
    assert receipt_delays_ms(journal, schedule).to_dict() == {"a": 3_000.0, "b": 0.0}


@pytest.mark.slow
def test_calibrate_passes_on_a_short_run_of_both_platforms(tmp_path, capsys):
    assert main(["calibrate", "--delays", "2500ms", "5s", "--out", str(tmp_path)]) == 0
    (root,) = tmp_path.iterdir()
    rows = json.loads((root / CALIBRATION_JSON).read_text())
    assert all(r["passed"] and r["fills"] >= 10 for r in rows)
    assert {(r["stage"], r["column"], r["injected_ms"]): r["expected_shift_ms"] for r in rows} == {
        ("fill", "nautilus", 2_500.0): 3_000.0, ("fill", "nautilus", 5_000.0): 5_000.0,  # the 1 s quote grid
        ("fill", "hummingbot", 2_500.0): 2_000.0, ("fill", "hummingbot", 5_000.0): 4_000.0,  # whole ticks over the one-tick baseline
        ("delivery", "nautilus", 2_500.0): 3_000.0, ("delivery", "nautilus", 5_000.0): 5_000.0,  # the next quote
        ("delivery", "hummingbot", 2_500.0): 3_000.0, ("delivery", "hummingbot", 5_000.0): 5_000.0,  # the next tick
    }
