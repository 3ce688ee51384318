"""Figures of the signal core (issue 2), measured with pytest-benchmark: ``make bench``.

Targets on the 2-core reference machine: load + validate 1M signal rows from parquet < 2 s;
streaming as-of lookups >= 1M/s; decide + risk gate >= 200k calls/s (the runner's whole step is
reported beside it, unasserted).
"""

import numpy as np
import pandas as pd
import pytest

from shared_signals.asof import SignalSchedule
from shared_signals.config import NANOS_PER_SECOND, DecisionParams, LoaderParams, RiskLimits, SignalCoreConfig
from shared_signals.decision import MarketState, decide
from shared_signals.risk import RiskGate
from shared_signals.loader import load_signals
from shared_signals.runner import SignalRunner
from shared_signals.schema import derive_columns
from shared_signals.table import SignalTable
from tests.conftest import make_signal

ROWS = 1_000_000
LOOKUPS = 200_000
CALLS = 50_000


@pytest.fixture(scope="module")
def million_signals(tmp_path_factory):
    rng = np.random.default_rng(0)
    q50 = rng.normal(0, 0.002, ROWS)
    spread = rng.uniform(0.001, 0.01, ROWS)
    frame = pd.DataFrame(
        {"q10": q50 - spread, "q50": q50, "q90": q50 + spread},
        index=pd.DatetimeIndex(pd.date_range("2020-01-01", periods=ROWS, freq="1min", tz="UTC"), name="datetime"),
    )
    path = tmp_path_factory.mktemp("bench") / "signals.parquet"
    frame.to_parquet(path)
    return path


def test_load_and_validate_one_million_rows(benchmark, million_signals):
    table = benchmark.pedantic(load_signals, args=(million_signals,), rounds=3, iterations=1)
    assert len(table) == ROWS
    assert benchmark.stats.stats.mean < 2.0


def test_streaming_asof_lookups(benchmark):
    """What a replay asks on every quote: one lookup a second, a 5-minute signal in force."""
    index = pd.date_range("2025-01-06", periods=LOOKUPS // 300, freq="300s", tz="UTC", name="datetime")
    table = SignalTable("BTCUSDT", derive_columns(pd.DataFrame({"q10": -0.01, "q50": 0.001, "q90": 0.01}, index=index)))
    first_ns = int(index[0].value)
    queries = list(range(first_ns, first_ns + LOOKUPS * NANOS_PER_SECOND, NANOS_PER_SECOND))

    def run():
        at = SignalSchedule(table, 300 * NANOS_PER_SECOND).at
        for t in queries:
            at(t)

    benchmark(run)
    per_second = LOOKUPS / benchmark.stats.stats.mean
    benchmark.extra_info["lookups_per_s"] = round(per_second)
    assert per_second >= 1_000_000


SIGNALS = [make_signal(signal_id=f"s{i}", side=(1, 0, -1)[i % 3], prob_up=(0.7, 0.3, 0.5)[i % 3]) for i in range(3)]
POSITIONS = (0.0, 0.1, -0.1, 0.0)


def test_decide_and_risk_gate(benchmark):
    """The issue's figure: ``decide`` then, for an order, the risk gate; a mix of buys, sells, closes and holds."""
    params = DecisionParams()
    markets = [MarketState(i * NANOS_PER_SECOND, 59_999.0, 60_001.0) for i in range(CALLS)]

    def run():
        check = RiskGate(RiskLimits()).check
        for i, market in enumerate(markets):
            position = POSITIONS[i % 4]
            decision = decide(SIGNALS[i % 3], position, market, params)
            if decision.side:
                price = market.ask if decision.side > 0 else market.bid
                check(market.ts_ns, decision.side, decision.order_qty, price, position, 100_000.0)

    benchmark(run)
    per_second = CALLS / benchmark.stats.stats.mean
    benchmark.extra_info["calls_per_s"] = round(per_second)
    assert per_second >= 200_000


def test_runner_step(benchmark):
    """For information: the whole per-quote step both platforms call (tolerance, decide, gate, bookkeeping)."""

    def run():
        step = SignalRunner(SignalCoreConfig(loader=LoaderParams(tolerance_ns=10**18))).step
        for i in range(CALLS):
            step(i * NANOS_PER_SECOND, 59_999.0, 60_001.0, SIGNALS[i % 3], POSITIONS[i % 4], 100_000.0)

    benchmark(run)
    benchmark.extra_info["steps_per_s"] = round(CALLS / benchmark.stats.stats.mean)
