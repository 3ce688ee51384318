"""On real replays of both platforms, the demo day and hourly signals over sparse 15-minute quotes with
gaps (as they come, and with a 20-minute fill delay, so that each column's delay crosses quotes): each
column's latency cost and the paired latency difference, recomputed here from the journals, the signal
file and the quote file, equal the report's figures."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import bootstrap

from evaluator.analysis.confidence import Figure
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import SupervisorConfig
from evaluator.settings import load_settings
from shared_signals.contract.journal import read_journal
from shared_signals.demo import DemoParams, write_demo
from shared_signals.contract.spec import RunSpec, VenueSpec
from tests.evaluator.plans import columns_of

pytestmark = pytest.mark.slow
SPARSE = DemoParams(hours=20 * 24.0, seed=3, quote_interval_s=900, bar_minutes=60, gaps=True)
RUNS = {
    "demo_day": (DemoParams(), VenueSpec()),
    "sparse_hourly_with_gaps": (SPARSE, VenueSpec()),
    "sparse_with_a_fill_delay": (SPARSE, VenueSpec(fill_delay_s=1_200.0)),
}


@pytest.fixture(scope="module", params=list(RUNS))
def replay(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    params, venue = RUNS[request.param]
    files = write_demo(folder / "data", params)
    spec = RunSpec(platform="nautilus", mode="replay", quotes=files.quotes, signals=files.signals, run_dir=folder / "run",
                   run_id=request.param, venue=venue)
    report, exits = run_both(columns_of(spec), SupervisorConfig())
    assert all(e.returncode == 0 for e in exits.values())
    return files, folder / "run", json.loads(report.metrics.read_text()), report.markdown.read_text()


def mid_in_force(quotes: pd.DataFrame):
    ts = pd.to_datetime(quotes["timestamp"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
    mids = ((quotes["bid_price"] + quotes["ask_price"]) / 2).to_numpy()
    return lambda t: mids[np.searchsorted(ts, t, side="right") - 1]


def by_hand(files, run_dir):
    """Per column its delay (median first fill − signal time) and per-signal moves over it, for the
    signals the ideal reference traded (its first side for each) that have a quote in force."""
    signals = pd.read_parquet(files.signals)
    times = pd.to_datetime(signals["datetime"], utc=True).dt.as_unit("ns").astype("int64")
    signal_ns = pd.Series(times.to_numpy(), index="BTCUSDT:" + times.astype(str))
    ideal = pd.read_parquet(run_dir / "reference" / "ideal.parquet").groupby("signal_id", sort=False)["side"].first()
    quotes = pd.read_parquet(files.quotes)
    mid = mid_in_force(quotes)
    first_quote_ns = pd.to_datetime(quotes["timestamp"], utc=True).dt.as_unit("ns").astype("int64").min()
    sigma = signal_ns.reindex(ideal.index).to_numpy()
    side = ideal.to_numpy(dtype=float)[sigma >= first_quote_ns]
    sigma = sigma[sigma >= first_quote_ns]
    found = {}
    for name in ("nautilus", "hummingbot"):
        events = read_journal(run_dir / name).events
        fills = events[(events["kind"] == "order_filled") & events["signal_id"].notna()].groupby("signal_id")["sim_ts_ns"].min()
        delay_ns = float(np.median(fills.to_numpy(dtype=float) - signal_ns.reindex(fills.index).to_numpy(dtype=float)))
        found[name] = (delay_ns / 1e9, side * (mid(sigma + round(delay_ns)) - mid(sigma)) / mid(sigma) * 1e4)
    return found


def test_each_column_s_latency_cost_is_the_alpha_decay_recomputed_from_the_journals_and_quotes(replay):
    files, run_dir, metrics, report = replay
    found = by_hand(files, run_dir)
    for name, (delay_s, moves) in found.items():
        column = metrics["platforms"][name]
        assert column["latency_score_delay_s"] == pytest.approx(delay_s, abs=1e-9)
        assert column["latency_cost_bps"] == pytest.approx(moves.mean(), abs=1e-9)
        assert f"{name} {moves.mean():+.2f} bps at {delay_s:g} s" in report
    assert metrics["market"]["decay_signals"] == len(found["nautilus"][1])


def test_the_latency_difference_is_paired_by_signal_and_judged_by_its_facts(replay):
    files, run_dir, metrics, report = replay
    found = by_hand(files, run_dir)
    per_signal = found["nautilus"][1] - found["hummingbot"][1]
    (d,) = [d for d in metrics["verdict"]["differences"] if d["figure"] == Figure.LATENCY_COST]
    confidence = load_settings().confidence
    reference = bootstrap((per_signal,), np.mean, vectorized=True, confidence_level=confidence.level, method="percentile",
                          n_resamples=confidence.bootstrap_resamples, rng=np.random.default_rng(confidence.bootstrap_seed))
    low, high = reference.confidence_interval
    assert d["values"][0] - d["values"][1] == pytest.approx(per_signal.mean(), abs=1e-9)
    assert (d["low"], d["high"]) == pytest.approx((low, high), abs=1e-9)
    assert d["units"] == [len(per_signal)] * 2 and d["resampling"] == "paired"
    noise, beyond = low <= 0.0 <= high, abs(per_signal.mean()) > d["threshold"]
    assert d["judgement"] == ("within_noise" if noise else "settled" if beyond else "immaterial")


def test_the_run_folder_holds_the_quote_in_force_at_every_signal_plus_each_column_s_delay(replay):
    """What the decay reads is kept in ``reference/touch.parquet``, for every scheduled signal (not only
    those a fill happens to land on), so a report rebuilt from the run folder alone gets the same figure."""
    files, run_dir, metrics, _ = replay
    touch = pd.read_parquet(run_dir / "reference" / "touch.parquet").sort_values("ts_ns")
    kept = mid_in_force(pd.DataFrame({"timestamp": pd.to_datetime(touch["ts_ns"], utc=True), "bid_price": touch["bid"],
                                      "ask_price": touch["ask"]}))
    whole = mid_in_force(pd.read_parquet(files.quotes))
    sigma = pd.read_parquet(run_dir / "reference" / "signals.parquet")["ts_ns"].to_numpy()
    sigma = sigma[sigma >= touch["ts_ns"].min()]
    for name in ("nautilus", "hummingbot"):
        t = sigma + round(metrics["platforms"][name]["latency_score_delay_s"] * 1e9)
        assert np.array_equal(kept(t), whole(t)), name
