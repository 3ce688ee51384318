"""The attribution of real run-both replays, on sparse hourly data with gaps and on the demo day's
1-second quotes: the parts add up to the difference of the two PnL figures, and each column's parts,
recomputed here from its journal, the quote file and the signal file alone, are the report's."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import SupervisorConfig
from shared_signals.config import NANOS_PER_HOUR
from shared_signals.contract.spec import RunSpec, VenueSpec
from shared_signals.demo import DemoParams, write_demo
from tests.evaluator.plans import columns_of

FAST_SAMPLING = SupervisorConfig(sample_interval_s=0.2, poll_interval_s=0.05)
SPARSE = DemoParams(hours=21 * 24.0, seed=5, quote_interval_s=900, bar_minutes=60, gaps=True)
"""Three weeks of hourly signals over 15-minute quotes with weekend closes and outages."""
DELAYS = {"demo day": (2_500_000_000, 2.0), "sparse hourly with gaps": (20 * 60 * 1_000_000_000, 2.0)}
"""Signal delay (ns) and fill delay (s): orders decided off the signal's quote and filled off the order's,
so the quotes in force at the signal, the order and the fill are three different ones."""


def journal(folder: Path) -> list[dict]:
    """Every record of a column's journals (its own and its provider's), in file order."""
    return [json.loads(line) for path in sorted(folder.glob("**/events.jsonl")) for line in path.read_text().splitlines()]


class QuotesInForce:
    """The mid of the quote in force at t (before the first, the first) from the whole quote file,
    up to the run's horizon."""

    def __init__(self, quotes: Path, horizon_ns: int) -> None:
        frame = pd.read_parquet(quotes)
        ts = frame["timestamp"].dt.as_unit("ns").astype("int64").to_numpy()
        keep = ts <= horizon_ns
        self.ts, self.mid = ts[keep], ((frame["bid_price"] + frame["ask_price"]) / 2.0).to_numpy()[keep]

    def __call__(self, t: int) -> float:
        return float(self.mid[max(int(np.searchsorted(self.ts, t, side="right")) - 1, 0)])

    @property
    def last(self) -> float:
        return float(self.mid[-1])


def parts_of(records: list[dict], signal_times: dict[str, int], mid: QuotesInForce) -> dict[str, float]:
    """One column's parts and PnL, fill by fill: holding in closed form, s q (M − mid(σ))."""
    parts = dict.fromkeys(("holding", "decision_price", "fill_delay_price", "spread", "fees", "pnl"), 0.0)
    submitted: dict[str | None, int] = {}
    for record in records:
        if record["kind"] == "order_submitted":
            submitted[record["signal_id"]] = record["sim_ts_ns"]
        if record["kind"] != "order_filled":
            continue
        x = record["qty"] * (1.0 if record["side"] == "BUY" else -1.0)
        filled = record["sim_ts_ns"]
        sigma = signal_times.get(record["signal_id"], filled)
        decided = submitted.get(record["signal_id"], filled)
        fee = record["fee"] or 0.0
        parts["holding"] += x * (mid.last - mid(sigma))
        parts["decision_price"] += x * (mid(sigma) - mid(decided))
        parts["fill_delay_price"] += x * (mid(decided) - mid(filled))
        parts["spread"] += x * (mid(filled) - record["price"])
        parts["fees"] -= fee
        parts["pnl"] += x * (mid.last - record["price"]) - fee
    return parts


@pytest.mark.slow
@pytest.mark.parametrize("data", list(DELAYS))
def test_the_parts_of_a_replay_add_up_and_match_a_recomputation(data, small_demo, tmp_path):
    sparse = data != "demo day"
    files = write_demo(tmp_path / "data", SPARSE) if sparse else small_demo
    signal_delay_ns, fill_delay_s = DELAYS[data]
    spec = RunSpec(platform="nautilus", mode="replay", quotes=files.quotes, signals=files.signals, run_dir=tmp_path / "run",
                   run_id="a1", venue=VenueSpec(fill_delay_s=fill_delay_s))
    core = replace(spec.core, loader=replace(spec.core.loader, tolerance_ns=NANOS_PER_HOUR)) if sparse else spec.core
    spec = replace(spec, core=core, signal_delay_ns=signal_delay_ns)
    report, exits = run_both(columns_of(spec), FAST_SAMPLING)
    assert {e.returncode for e in exits.values()} == {0}
    metrics = json.loads(report.metrics.read_text())
    (attribution,) = metrics["attribution"]
    assert (attribution["first"], attribution["second"]) == ("nautilus", "hummingbot")
    capital = spec.core.decision.sizing.capital
    assert abs(attribution["remainder"]) < 1e-6 * capital and attribution["identity_holds"]

    records = {name: journal(report.folder / name) for name in ("nautilus", "hummingbot")}
    horizon = max(r["sim_ts_ns"] for rs in records.values() for r in rs if r["sim_ts_ns"] is not None)
    mid = QuotesInForce(files.quotes, horizon)
    signals = pd.read_parquet(files.signals)
    signal_times = {f"{i}:{t}": t for i, t in zip(signals["instrument"], signals["datetime"].dt.as_unit("ns").astype("int64"),
                                                  strict=True)}
    expected = {name: parts_of(rs, signal_times, mid) for name, rs in records.items()}
    for column in attribution["columns"]:
        own = expected[column["name"]]
        assert column["parts"] == pytest.approx({k: v for k, v in own.items() if k != "pnl"}, rel=1e-9, abs=1e-6)
        assert column["pnl"] == pytest.approx(own["pnl"], rel=1e-9, abs=1e-6)
        assert column["pnl"] == pytest.approx(metrics["platforms"][column["name"]]["trading"]["pnl"], abs=1e-9)
        assert all(column["parts"][k] != 0 for k in ("holding", "spread", "fees"))  # a column that traded
    a, b = expected["nautilus"], expected["hummingbot"]
    assert attribution["parts"] == pytest.approx({k: a[k] - b[k] for k in attribution["parts"]}, rel=1e-9, abs=1e-6)
    assert "The parts add up to the difference" in report.markdown.read_text()
