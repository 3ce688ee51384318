"""Execution costs: hand-made journals with hand-worked answers, the quotes the harness keeps for them,
and real runs on matched and native venues (demo day and sparse data), whose attribution leaves
nothing (the attribution's own tests are in ``tests/attribution``)."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.causes import FeeRates, causes
from evaluator.analysis.metrics.execution_cost import execution_cost
from evaluator.harness.reference import marks_and_touch
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import SupervisorConfig
from evaluator.report.causes import cause_lines
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind
from shared_signals.contract.spec import RunSpec, VenueSpec
from shared_signals.demo import DemoParams, write_demo
from tests.evaluator.plans import columns_of

FAST_SAMPLING = SupervisorConfig(sample_interval_s=0.2, poll_interval_s=0.05)
S = NANOS_PER_SECOND


def journal(*rows: dict) -> pd.DataFrame:
    base = {"kind": EventKind.ORDER_FILLED, "signal_id": None, "sim_ts_ns": 0, "side": None, "qty": None,
            "price": None, "fee": None, "code": None, "reason": None, "seq": 0}
    return pd.DataFrame([{**base, **row, "seq": i} for i, row in enumerate(rows)])


def fill(signal_id, t, side, qty, price, fee):
    return {"signal_id": signal_id, "sim_ts_ns": t, "side": side, "qty": qty, "price": price, "fee": fee}


def test_execution_cost_of_a_hand_made_journal():
    """Quotes due every 4 ns: the one at 5 is past its time in force at 10, so s1's arrival is the next."""
    touch = pd.DataFrame({"ts_ns": [5, 12, 18, 30], "bid": [99.0, 100.0, 101.0, 103.0], "ask": [100.0, 101.0, 102.0, 104.0]})
    schedule = pd.DataFrame({"signal_id": ["s1", "s2"], "ts_ns": [10, 30]})
    events = journal(
        fill("s1", 20, "BUY", 2.0, 102.0, 0.2),   # arrival: the quote at 12 (mid 100.5); in force at 20: the one at 18 (101.5)
        fill("s2", 31, "SELL", 1.0, 102.5, 0.1),  # arrival and in force: the quote at 30 (mid 103.5)
        fill(None, 40, "SELL", 1.0, 103.0, 0.1),  # the close at stop: no arrival
    )
    cost = execution_cost(events, schedule, touch, quote_spacing_ns=4)
    assert (cost.fills, cost.unmeasured) == (2, 1)
    rows = cost.per_fill.set_index("signal_id")
    assert rows.at["s1", "half_spread_bps"] == pytest.approx(0.5 / 100.5 * 1e4)
    assert rows.at["s1", "delay_bps"] == pytest.approx(1.0 / 100.5 * 1e4)
    assert rows.at["s1", "fee_bps"] == pytest.approx(0.2 / (2 * 100.5) * 1e4)
    assert rows.at["s2", "half_spread_bps"] == pytest.approx(1.0 / 103.5 * 1e4)
    assert rows.at["s2", "delay_bps"] == pytest.approx(0.0)
    assert rows.at["s1", "cost_usdt"] == pytest.approx(1.5 * 2 + 0.2)
    assert rows.at["s2", "cost_usdt"] == pytest.approx(1.0 + 0.1)
    assert cost.total.total_usdt == pytest.approx(4.3)
    assert {k: round(v.total_usdt, 9) for k, v in cost.components.items()} == {"half_spread": 2.0, "delay": 2.0, "fee": 0.3}
    s1 = (0.5 * 2 + 1.0 * 2 + 0.2) / (2 * 100.5) * 1e4
    s2 = (1.0 + 0.1) / 103.5 * 1e4
    assert cost.total.mean_bps == pytest.approx((s1 + s2) / 2)
    assert cost.total.p95_bps == pytest.approx(s2 + 0.95 * (s1 - s2))




def test_one_pass_keeps_the_quotes_an_asof_on_the_whole_file_finds_and_each_minute_s_last_mid(tmp_path):
    rng = np.random.default_rng(3)
    ts = np.cumsum(rng.integers(1, 50, size=45_000)) * 1_000_000  # crosses the loader's 20,000-row batches
    mid = 100 + np.cumsum(rng.normal(0, 0.01, size=ts.size))
    frame = pd.DataFrame({"timestamp": pd.to_datetime(ts, utc=True), "bid_price": mid - 0.01, "ask_price": mid + 0.01,
                          "bid_size": 1.0, "ask_size": 1.0})
    frame.to_parquet(tmp_path / "q.parquet")
    arrivals = rng.integers(ts[0] - 5, ts[-1] + 5, size=400)
    fills = rng.integers(ts[0] - 5, ts[-1] + 5_000_000, size=400)
    marks, touch = marks_and_touch(tmp_path / "q.parquet", arrivals, fills, None)
    whole = pd.DataFrame({"ts_ns": ts, "bid": mid - 0.01})
    for times, direction in ((arrivals, "forward"), (arrivals, "backward"), (fills, "backward"), (fills + 1, "forward")):
        probe = pd.DataFrame({"ts_ns": np.sort(times)})
        expected = pd.merge_asof(probe, whole, on="ts_ns", direction=direction)["bid"]
        found = pd.merge_asof(probe, touch[["ts_ns", "bid"]], on="ts_ns", direction=direction)["bid"]
        pd.testing.assert_series_equal(found, expected)
    assert len(touch) <= 1600
    mids = pd.Series(mid, index=pd.to_datetime(ts, utc=True))
    expected = pd.concat([mids.resample("1min").last().dropna(), mids.iloc[[-1]]])  # and the very last quote
    expected = expected[~expected.index.duplicated(keep="last")].sort_index()
    assert marks["ts_ns"].tolist() == expected.index.as_unit("ns").asi8.tolist()
    assert marks["mid"].tolist() == expected.tolist()


def fees_per_notional(run_dir, platform) -> set[float]:
    events = [json.loads(line) for line in (run_dir / platform / "events.jsonl").read_text().splitlines()]
    return {round(e["fee"] / (e["qty"] * e["price"]) * 1e4, 6) for e in events if e["kind"] == "order_filled"}


@pytest.mark.slow
@pytest.mark.parametrize("data", ["demo day", "sparse hourly"])
def test_matched_venues_charge_one_fee_and_the_attribution_leaves_nothing(data, small_demo, tmp_path):
    files = small_demo if data == "demo day" else write_demo(
        tmp_path / "sparse", DemoParams(hours=96.0, seed=5, quote_interval_s=900, bar_minutes=60))
    spec = RunSpec(platform="nautilus", mode="replay", quotes=files.quotes, signals=files.signals, run_dir=tmp_path / "run",
                   run_id="m1", venue=VenueSpec(fee_bps=7.5))
    if data == "sparse hourly":
        spec = replace(spec, core=replace(spec.core, loader=replace(spec.core.loader, tolerance_ns=NANOS_PER_HOUR)))
    report, exits = run_both(columns_of(spec), FAST_SAMPLING)
    assert {e.returncode for e in exits.values()} == {0}
    for platform in ("nautilus", "hummingbot"):
        assert fees_per_notional(report.folder, platform) == {7.5}
    metrics = json.loads(report.metrics.read_text())
    (attribution,) = metrics["attribution"]  # one pair: hummingbot against the baseline
    assert (attribution["first"], attribution["second"]) == ("nautilus", "hummingbot")
    assert abs(attribution["remainder"]) < 1e-6
    a, b = attribution["columns"]
    assert attribution["parts"]["fees"] == pytest.approx(-7.5e-4 * (a["notional"] - b["notional"]), abs=1e-4)  # one fee rate
    text = report.markdown.read_text()
    assert "## Execution cost (TCA)" in text and "## Where the net results differ" in text and "Matched venues" in text
    reference = report.folder / "reference"
    pd.testing.assert_frame_equal(pd.read_parquet(reference / "ideal.parquet"), pd.read_parquet(reference / "nautilus.parquet"))
    trading = {c["category"]: c["scores"] for c in metrics["verdict"]["categories"]}["trading_results"]
    assert trading["nautilus"] == 10.0  # its venue is the ideal one: no fill delay, the same fee
    ideal = metrics["ideal_reference"]["gross_return_pct"]
    gap_bps = abs(metrics["platforms"]["hummingbot"]["trading"]["gross_return_pct"] - ideal) * 100
    assert trading["hummingbot"] == round(10 * (1 - gap_bps / 10), 2)  # the same ideal, 10 bps of capital scoring 0


@pytest.mark.slow
def test_native_venues_keep_each_platform_s_own_fees(small_demo, tmp_path):
    spec = RunSpec(platform="nautilus", mode="replay", quotes=small_demo.quotes, signals=small_demo.signals,
                   run_dir=tmp_path / "run", run_id="n1", venue=VenueSpec(model="native"))
    report, _ = run_both(columns_of(spec), FAST_SAMPLING)
    assert fees_per_notional(report.folder, "nautilus") == {10.0}  # Binance BTCUSDT's taker fee in Nautilus
    assert fees_per_notional(report.folder, "hummingbot") == {0.0}  # the paper exchange's own: none
    (attribution,) = json.loads(report.metrics.read_text())["attribution"]
    assert (attribution["first"], attribution["second"]) == ("nautilus", "hummingbot")
    assert attribution["parts"]["fees"] < 0 and abs(attribution["remainder"]) < 1e-6  # nautilus paid them all: its side of the difference
    assert "Native venues" in report.markdown.read_text()


def test_fees_are_a_cause_only_when_the_rates_differ_not_the_volumes():
    def column(fees, volume):
        returns = SimpleNamespace(gross_return_pct=0.0, fees=fees, volume=volume)
        cost = SimpleNamespace(gap_fills=None)
        return SimpleNamespace(trading=returns, reference_trading=returns, fill_delay_s=0.0, execution_cost=cost, exits=None,
                               stability=SimpleNamespace(rejections_by_kind={}),
                               accuracy=SimpleNamespace(executed_as_intended=1, actionable=1, position_matches=1, position_checks=1))

    pair = [SimpleNamespace(first="nautilus", second="hummingbot")]
    same_rate = {"nautilus": column(42.77, 42_770.0), "hummingbot": column(42.21, 42_210.0)}
    found = causes(SimpleNamespace(columns=same_rate), pair)
    assert found.fee_rates == [] and not [c for c in cause_lines(found) if c.startswith("Fees")]
    native = {"nautilus": column(42.77, 42_770.0), "hummingbot": column(0.0, 42_210.0)}
    found = causes(SimpleNamespace(columns=native), pair)
    assert found.fee_rates == [FeeRates("nautilus", "hummingbot", (42.77, 0.0), pytest.approx((0.1, 0.0)))]
    (line,) = [c for c in cause_lines(found) if c.startswith("Fees")]
    assert "(0.100% of volume)" in line and "hummingbot 0.00 USDT (0.000%)" in line
