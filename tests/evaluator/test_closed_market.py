"""A market that closes (a 30-hour gap in hourly-signal, 15-minute-quote data): neither platform
sends an order against a quote as old as the shared limit (a run built without the command line's
layer keeps the documented hour), and the report names the cause."""

import pandas as pd
import pytest

from evaluator.analysis.pipeline import analyse
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import SupervisorConfig
from evaluator.report.causes import cause_lines
from evaluator.settings import load_settings
from shared_signals.config import NANOS_PER_SECOND, RiskLimits
from shared_signals.contract.codes import EventKind
from shared_signals.contract.spec import RunSpec
from shared_signals.demo import DemoParams, write_demo
from shared_signals.risk import RiskRule
from tests.evaluator.plans import columns_of

GAP = pd.Timedelta("30h")


@pytest.fixture(scope="module")
def closed_market(tmp_path_factory):
    folder = tmp_path_factory.mktemp("closed")
    files = write_demo(folder / "data", DemoParams(hours=96.0, seed=5, quote_interval_s=900, bar_minutes=60))
    quotes = pd.read_parquet(files.quotes)
    times = pd.to_datetime(quotes["timestamp"], utc=True)
    closes = times.iloc[0] + pd.Timedelta("30h")
    quotes[(times < closes) | (times >= closes + GAP)].to_parquet(folder / "gap.parquet")
    spec = RunSpec(platform="hummingbot", mode="replay", quotes=folder / "gap.parquet", signals=files.signals,
                   run_dir=folder / "run", run_id="closed")
    _, exits = run_both(columns_of(spec, ("nautilus", "hummingbot")), SupervisorConfig())
    assert all(e.returncode == 0 for e in exits.values())
    return folder / "gap.parquet", RunFolder.load(folder / "run")


def quote_age_s(events: pd.DataFrame, quote_times: pd.Series) -> pd.Series:
    """Age of the quote in force at each event's market time."""
    index = quote_times.searchsorted(events["sim_ts_ns"].to_numpy(), side="right") - 1
    return (events["sim_ts_ns"].to_numpy() - quote_times.to_numpy()[index]) / NANOS_PER_SECOND


@pytest.mark.slow
def test_no_platform_trades_a_closed_market_and_the_cause_is_named(closed_market):
    quotes_path, run = closed_market
    quote_times = pd.to_datetime(pd.read_parquet(quotes_path, columns=["timestamp"])["timestamp"], utc=True).dt.as_unit("ns").astype("int64")
    limit_s = RiskLimits().max_quote_age_s
    held = {}
    for name, record in run.columns.items():
        events = record.events
        orders = events[events["kind"] == EventKind.ORDER_SUBMITTED]
        assert len(orders) > 0, name
        assert (quote_age_s(orders, quote_times) < limit_s).all(), name
        refused = events[(events["kind"] == EventKind.ORDER_REJECTED) & (events["code"] == RiskRule.STALE_QUOTE)]
        assert (quote_age_s(refused, quote_times) >= limit_s).all(), name
        held[name] = len(refused)
    assert held["nautilus"] == 0  # it decides on quote arrivals: never on an old quote
    assert held["hummingbot"] > 0  # its clock ticks through the gap; without the rule these orders filled
    analysis = analyse(run, load_settings())
    (pair,) = analysis.pairs
    assert (pair.first, pair.second) == ("nautilus", "hummingbot")
    assert pair.agreement.agreeing == pair.agreement.compared > 0
    (closed,) = [c for c in analysis.causes.closed_markets if c.refusals]
    assert (closed.column, closed.refusals) == ("hummingbot", held["hummingbot"])
    (line,) = [c for c in cause_lines(analysis.causes) if c.startswith("Closed market: the shared risk gate refused")]
    assert f"refused {held['hummingbot']} of hummingbot's order(s)" in line
