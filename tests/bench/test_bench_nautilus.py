"""Figures of the NautilusTrader POC (issue 3), measured with pytest-benchmark: ``make bench``.

Targets on the 2-core reference machine: replay throughput with journaling >= 70% of a bare
``BacktestEngine`` with a trivial strategy on the same quotes (measured side by side, rounds
interleaved); 24 h of 1 s demo quotes replayed in < 5 s; peak RSS of that replay stated and flat in
the number of quotes (the same day with four times the quotes and the same trades); live
signal→order_submitted p99 < 5 ms at 1x, from the journal.

Both replay sides read the same parquet file through ``iter_quote_batches`` (validated), wrangle
it with Nautilus' ``QuoteTickDataWrangler`` and stream it into an engine built by the same
``build_engine``; ours is the whole product path (``poc_nautilus.app.run``: inputs, run.json,
strategy, journal, Nautilus reports and statistics). ``extra_info`` also gives its share without
the end-of-run report export, which is not replay throughput, and its share of a bare engine that
sends the same orders at the same quotes (the trivial baseline never trades, so it does not pay
Nautilus' own cost of trading: order path, fills, the analyzer's per-trade pandas bookkeeping).
The assertion is on the strict figure: the whole product path against the trivial strategy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
from nautilus_trader.config import StrategyConfig
from nautilus_trader.model.data import QuoteTick
from nautilus_trader.model.enums import OrderSide
from nautilus_trader.trading.strategy import Strategy

from shared_signals.contract.journal import read_journal
from shared_signals.contract.spec import RunSpec
from poc_nautilus import app, replay
from poc_nautilus.config import QUOTE_BATCH_ROWS
from poc_nautilus.quotes import TickMaker
from poc_nautilus.replay import build_engine
from poc_nautilus.venue import venue_instrument
from shared_signals.config import NANOS_PER_MS, RiskLimits, SignalCoreConfig
from shared_signals.demo import DemoParams, write_demo
from shared_signals.quotes import ROW_GROUP_ROWS, iter_quote_batches

DAY_QUOTES = 86_400
ROUNDS = 3
MIN_SHARE_OF_BARE = 0.70
MIN_SHARE_OF_BARE_SAME_ORDERS = 0.90
"""Replay throughput (the report export apart) against a bare engine sending the same orders (issue 13)."""
MAX_DAY_REPLAY_S = 5.0
DENSER = 4
"""The day's quotes repeated this many times a second: more quotes, the same signals and trades."""
LONG_DAYS = 3
"""A longer replay, stated beside the day: it adds quotes and also trades (Nautilus keeps every order)."""
MAX_RSS_GROWTH = 1.10
"""Peak RSS above the imports of the denser day over that of the day: streaming keeps it flat."""
RSS_GROWTH_SLACK_MB = 5.0
"""Absolute room on top of ``MAX_RSS_GROWTH`` for the allocator's noise."""
RSS_ROUNDS = 3
LIVE_SECONDS = 10
LIVE_QUOTE_MS = 20
LIVE_SIGNAL_MS = 100
MAX_P99_MS = 5.0


class TrivialStrategy(Strategy):
    """The bare baseline: receives every quote and reads its mid, nothing else."""

    def __init__(self, instrument_id) -> None:
        super().__init__(StrategyConfig(order_id_tag="BARE"))
        self.instrument_id = instrument_id
        self.quotes = 0
        self.mid = 0.0

    def on_start(self) -> None:
        self.subscribe_quote_ticks(self.instrument_id)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.quotes += 1
        self.mid = (tick.bid_price.as_double() + tick.ask_price.as_double()) * 0.5


class SameOrdersStrategy(TrivialStrategy):
    """The bare baseline sending our replay's market orders (same quote, side, size): what Nautilus
    itself spends on trading, which a baseline that never trades does not pay."""

    def __init__(self, instrument_id, orders: dict[int, list[tuple[OrderSide, float]]]) -> None:
        super().__init__(instrument_id)
        self.orders = orders
        self.instrument = None

    def on_start(self) -> None:
        super().on_start()
        self.instrument = self.cache.instrument(self.instrument_id)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        super().on_quote_tick(tick)
        for side, qty in self.orders.get(tick.ts_event, ()):
            self.submit_order(self.order_factory.market(self.instrument_id, side, self.instrument.make_qty(qty)))


def journal_orders(platform_dir) -> dict[int, list[tuple[OrderSide, float]]]:
    events = read_journal(platform_dir).events
    orders: dict[int, list[tuple[OrderSide, float]]] = {}
    for row in events[events["kind"] == "order_submitted"].itertuples():
        orders.setdefault(int(row.sim_ts_ns), []).append((OrderSide[row.side], float(row.qty)))
    return orders


def bare_replay(options: RunSpec, orders: dict[int, list[tuple[OrderSide, float]]] | None = None) -> int:
    instrument = venue_instrument(options.instrument)
    engine = build_engine(options)
    strategy = TrivialStrategy(instrument.id) if orders is None else SameOrdersStrategy(instrument.id, orders)
    engine.add_strategy(strategy)
    maker = TickMaker(instrument)
    for batch in iter_quote_batches(options.quotes, QUOTE_BATCH_ROWS):
        engine.add_data(maker.ticks(batch))
        engine.run(streaming=True)
        engine.clear_data()
    engine.end()
    engine.dispose()
    return strategy.quotes


def time_report_export(monkeypatch, clock=time.perf_counter) -> list[float]:
    """Times Nautilus' end-of-run report export apart (it is not replay throughput): the list fills
    with one duration per replay."""
    spent: list[float] = []
    save_reports = replay.save_reports

    def timed(*args, **kwargs):
        started = clock()
        save_reports(*args, **kwargs)
        spent.append(clock() - started)

    monkeypatch.setattr(replay, "save_reports", timed)
    return spent


def run_options(demo, run_dir, **extra) -> RunSpec:
    return RunSpec(
        platform="nautilus", mode="replay", quotes=demo.quotes, signals=demo.signals, run_dir=run_dir, run_id="bench", **extra
    )


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo-day"), DemoParams())


def test_replay_throughput_vs_bare_engine(benchmark, demo_day, tmp_path, monkeypatch):
    bare_s: list[float] = []
    results = []
    reports_s = time_report_export(monkeypatch)

    def setup():
        started = time.perf_counter()
        assert bare_replay(run_options(demo_day, tmp_path / "bare")) == DAY_QUOTES
        bare_s.append(time.perf_counter() - started)
        shutil.rmtree(tmp_path / "ours", ignore_errors=True)
        return (run_options(demo_day, tmp_path / "ours"),), {}

    def ours(options: RunSpec):
        results.append(app.run(options))

    benchmark.pedantic(ours, setup=setup, rounds=ROUNDS, iterations=1)
    assert all(r.quotes == DAY_QUOTES and r.fills > 0 for r in results)
    ours_s = benchmark.stats.stats.min
    orders = journal_orders(tmp_path / "ours" / "nautilus")
    same_orders_s = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        bare_replay(run_options(demo_day, tmp_path / "same-orders"), orders)
        same_orders_s.append(time.perf_counter() - started)
    share = min(bare_s) / ours_s
    without_reports_s = ours_s - min(reports_s)
    benchmark.extra_info.update(
        bare_quotes_per_s=round(DAY_QUOTES / min(bare_s)),
        ours_quotes_per_s=round(DAY_QUOTES / ours_s),
        ours_share_of_bare=round(share, 3),
        day_replay_s=round(ours_s, 3),
        reports_s=round(min(reports_s), 3),
        ours_share_of_bare_without_reports=round(min(bare_s) / without_reports_s, 3),
        orders=sum(len(at) for at in orders.values()),
        bare_same_orders_quotes_per_s=round(DAY_QUOTES / min(same_orders_s)),
        ours_share_of_bare_same_orders=round(min(same_orders_s) / ours_s, 3),
        ours_share_of_bare_same_orders_without_reports=round(min(same_orders_s) / without_reports_s, 3),
    )
    assert ours_s < MAX_DAY_REPLAY_S
    assert min(same_orders_s) / without_reports_s >= MIN_SHARE_OF_BARE_SAME_ORDERS
    assert share >= MIN_SHARE_OF_BARE, f"ours {DAY_QUOTES / ours_s:,.0f} q/s = {share:.0%} of bare {DAY_QUOTES / min(bare_s):,.0f} q/s"


RSS_PROBE = textwrap.dedent(
    """
    import json, sys, threading, time
    from pathlib import Path
    import psutil
    from shared_signals.contract.spec import RunSpec
    from poc_nautilus import app
    demo, out, every_s = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    process = psutil.Process()
    imported = peak = process.memory_info().rss
    done = threading.Event()
    def sample():
        global peak
        while not done.wait(every_s):
            peak = max(peak, process.memory_info().rss)
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    result = app.run(RunSpec(platform="nautilus", mode="replay", quotes=demo / "quotes.parquet",
                                signals=demo / "signals.parquet", run_dir=out, run_id="rss"))
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    peak = max(peak, process.memory_info().rss)
    print(json.dumps({"quotes": result.quotes, "orders": result.orders, "seconds": seconds, "imported_mb": imported / 2**20, "peak_mb": peak / 2**20}))
    """
)
RSS_SAMPLE_S = 0.005
"""psutil samples the replay's RSS this often (``ru_maxrss`` of a forked child counts its parent's pages)."""


def rss_probe(demo_dir, out_dir) -> dict:
    """One replay in a fresh process: its peak RSS, and the RSS of the imports alone."""
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(demo_dir), str(out_dir), str(RSS_SAMPLE_S)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def replay_rss_mb(probe: dict) -> float:
    """What the replay adds to the RSS of the imports."""
    return probe["peak_mb"] - probe["imported_mb"]


def least_replay_rss(demo_dir, out_dir) -> tuple[dict, float]:
    """``RSS_ROUNDS`` fresh-process replays: the first probe, and the least RSS any of them added above
    its imports (one probe's peak moves by several MB with the allocator)."""
    probes = [rss_probe(demo_dir, out_dir / str(k)) for k in range(RSS_ROUNDS)]
    return probes[0], min(replay_rss_mb(p) for p in probes)


def denser_day(demo, folder, factor: int):
    """The demo day with each quote repeated ``factor`` times, 1/``factor`` s apart, and the same
    signals: ``factor`` times the quotes at the same prices, so the same orders at the same times."""
    quotes = pd.read_parquet(demo.quotes)
    step = pd.Timedelta(seconds=1) / factor
    copies = [quotes.assign(timestamp=quotes["timestamp"] + k * step) for k in range(factor)]
    dense = pd.concat(copies).sort_values("timestamp", kind="stable")
    folder.mkdir(parents=True)
    dense.to_parquet(folder / "quotes.parquet", index=False, row_group_size=ROW_GROUP_ROWS)
    shutil.copy(demo.signals, folder / "signals.parquet")
    return folder


def test_day_replay_peak_rss_is_flat_in_the_number_of_quotes(benchmark, demo_day, tmp_path):
    dense_dir = denser_day(demo_day, tmp_path / "demo-dense", DENSER)
    long_demo = write_demo(tmp_path / "demo-long", DemoParams(hours=24.0 * LONG_DAYS))
    day, day_mb = benchmark.pedantic(least_replay_rss, args=(demo_day.quotes.parent, tmp_path / "day"), rounds=1, iterations=1)
    dense, dense_mb = least_replay_rss(dense_dir, tmp_path / "dense")
    long, long_mb = least_replay_rss(long_demo.quotes.parent, tmp_path / "long")
    benchmark.extra_info.update(
        imports_rss_mb=round(day["imported_mb"], 1),
        day_peak_rss_mb=round(day["peak_mb"], 1),
        day_replay_rss_mb=round(day_mb, 1),
        dense_quotes=dense["quotes"],
        dense_replay_rss_mb=round(dense_mb, 1),
        long_days=LONG_DAYS,
        long_orders=long["orders"],
        long_replay_rss_mb=round(long_mb, 1),
        day_orders=day["orders"],
        day_replay_s=round(day["seconds"], 3),
    )
    assert day["quotes"] == DAY_QUOTES and dense["quotes"] == DAY_QUOTES * DENSER
    assert dense["orders"] == day["orders"]  # the same trades: only the number of quotes differs
    assert long["quotes"] == DAY_QUOTES * LONG_DAYS
    assert dense_mb <= day_mb * MAX_RSS_GROWTH + RSS_GROWTH_SLACK_MB


def fast_signals_at_1x(folder):
    """Quotes every 20 ms and a signal every 100 ms flipping long/short: each signal is an order."""
    start = pd.Timestamp("2025-01-06", tz="UTC")
    n = LIVE_SECONDS * 1000 // LIVE_QUOTE_MS
    bid = 50_000.0 + np.arange(n) * 0.5
    quotes = pd.DataFrame(
        {
            "timestamp": start + pd.to_timedelta(np.arange(n) * LIVE_QUOTE_MS, unit="ms"),
            "bid_price": bid, "ask_price": bid + 1.0, "bid_size": 1.0, "ask_size": 1.0,
        }
    )
    k = LIVE_SECONDS * 1000 // LIVE_SIGNAL_MS
    up = np.arange(k) % 2 == 0
    signals = pd.DataFrame(
        {
            "datetime": start + pd.to_timedelta(np.arange(k) * LIVE_SIGNAL_MS, unit="ms"),
            "q10": np.where(up, -0.01, -0.03), "q50": np.where(up, 0.01, -0.01), "q90": np.where(up, 0.03, 0.01),
            "side": np.where(up, 1, 0), "prob_up": np.where(up, 0.7, 0.3), "vol_risk": 0.0,
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    quotes.to_parquet(folder / "quotes.parquet", index=False)
    signals.to_parquet(folder / "signals.parquet", index=False)
    return folder / "quotes.parquet", folder / "signals.parquet"


def test_live_signal_to_order_latency_at_1x(benchmark, tmp_path):
    quotes, signals = fast_signals_at_1x(tmp_path / "inputs")
    core = SignalCoreConfig(risk=RiskLimits(max_orders_per_minute=10_000))
    options = RunSpec(
        platform="nautilus", mode="live", quotes=quotes, signals=signals, run_dir=tmp_path / "run", run_id="latency",
        speed=1.0, core=core,
    )
    benchmark.pedantic(app.run, args=(options,), rounds=1, iterations=1)
    events = read_journal(tmp_path / "run" / "nautilus").events
    received = events[events["kind"] == "signal_received"].set_index("signal_id")["wall_ns"]
    submitted = events[(events["kind"] == "order_submitted") & events["signal_id"].notna()].groupby("signal_id")["wall_ns"].min()
    latency_ms = (submitted - received.reindex(submitted.index)) / NANOS_PER_MS
    p50, p99 = np.percentile(latency_ms, (50, 99))
    benchmark.extra_info.update(
        signals_with_orders=int(latency_ms.size), p50_ms=round(p50, 3), p99_ms=round(p99, 3), max_ms=round(latency_ms.max(), 3)
    )
    assert latency_ms.size >= LIVE_SECONDS * 1000 // LIVE_SIGNAL_MS // 2
    assert p99 < MAX_P99_MS
