"""Both real platforms on hourly signals over 15-minute quotes with weekend closes and outages
(``demo-data --gaps``), through the command line: by default no platform fills into a closed market;
with ``--max-quote-age 1h`` the platform that ticks through a gap does, and the report counts and names
those fills. Every figure is recomputed here from the journals and the quote file alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.pipeline import analyse
from evaluator.analysis.run_folder import RunFolder
from evaluator.settings import load_settings
from shared_signals.demo import DemoParams, write_demo

pytestmark = pytest.mark.slow
EIGHT_WEEKS_WITH_GAPS = DemoParams(hours=56 * 24.0, seed=11, quote_interval_s=900, bar_minutes=60, gaps=True)


def run_both(files, out: Path, *flags: str) -> Path:
    done = subprocess.run([sys.executable, "-m", "evaluator.cli", "run-both", "--quotes", str(files.quotes), "--signals",
                           str(files.signals), "--out", str(out), *flags], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return next(out.iterdir())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gaps")
    files = write_demo(folder / "data", EIGHT_WEEKS_WITH_GAPS)
    return files, {"derived": run_both(files, folder / "derived"), "1h": run_both(files, folder / "1h", "--max-quote-age", "1h")}


def quote_times(files) -> np.ndarray:
    stamps = pd.to_datetime(pd.read_parquet(files.quotes, columns=["timestamp"])["timestamp"], utc=True)
    return stamps.dt.as_unit("ns").astype("int64").to_numpy()


def journal(run: Path, column: str) -> pd.DataFrame:
    return pd.DataFrame([json.loads(line) for line in (run / column / "events.jsonl").read_text().splitlines()])


def gap_fills_by_hand(run: Path, column: str, times: np.ndarray) -> list[int]:
    """The fill times whose quote in force is followed by the next more than 1.5 spacings later, made
    once that quote's successor was due."""
    spacing = int(pd.Series(np.diff(times)).mode().iloc[0])
    events = journal(run, column)
    filled = events.loc[events["kind"] == "order_filled", "sim_ts_ns"].astype("int64").to_numpy()
    quote = np.searchsorted(times, filled, side="right") - 1
    found = []
    for at, i in zip(filled, quote, strict=True):
        if 0 <= i < len(times) - 1 and at - times[i] >= spacing and times[i + 1] - times[i] > 1.5 * spacing:
            found.append(int(at))
    return found


def arrivals_by_hand(run: Path, column: str, times: np.ndarray, mids: np.ndarray) -> dict[str, float]:
    """Each signal fill's arrival mid: the quote in force at the signal's time (younger than a spacing),
    else the first within a spacing after it; kept only when it is not after the fill."""
    spacing = int(pd.Series(np.diff(times)).mode().iloc[0])
    events = journal(run, column)
    filled = events[(events["kind"] == "order_filled") & events["signal_id"].notna()]
    found = {}
    for sid, at in zip(filled["signal_id"], filled["sim_ts_ns"].astype("int64"), strict=True):
        t = int(sid.split(":")[1])  # a signal's id carries its time
        before, after = np.searchsorted(times, t, side="right") - 1, np.searchsorted(times, t, side="left")
        if before >= 0 and t - times[before] < spacing:
            chosen = before
        elif after < len(times) and times[after] - t <= spacing:
            chosen = after
        else:
            continue
        if times[chosen] <= at:
            found[sid] = float(mids[chosen])
    return found


def test_no_platform_fills_into_a_closed_market_by_default(runs):
    files, folders = runs
    run = folders["derived"]
    times = quote_times(files)
    spec = json.loads((run / "inputs.json").read_text())["spec"]
    assert (spec["core"]["risk"]["max_quote_age_s"], spec["max_quote_age_from"]) == (900.0, "quote_spacing")
    analysis = analyse(RunFolder.load(run), load_settings())
    for column in ("nautilus", "hummingbot"):
        assert gap_fills_by_hand(run, column, times) == []
        assert analysis.figures.columns[column].execution_cost.gap_fills.count == 0
    refused = {c: int((journal(run, c)["code"] == "stale_quote").sum()) for c in ("nautilus", "hummingbot")}
    assert refused["nautilus"] == 0 and refused["hummingbot"] > 0  # the gate held back what the clock met in the gaps
    text = (run / "report.md").read_text()
    assert "| quote-age limit (no order against an older quote: a closed market) | 15 min (one spacing of the quote file" in text
    assert "| fills into a closed market (the next quote more than 1.5 spacings after the fill's) | 0 | 0 |" in text
    assert "fill(s) into a closed market" not in text


def test_with_an_hour_s_limit_the_fills_into_a_closed_market_are_counted_and_named(runs):
    files, folders = runs
    run = folders["1h"]
    times = quote_times(files)
    spec = json.loads((run / "inputs.json").read_text())["spec"]
    assert (spec["core"]["risk"]["max_quote_age_s"], spec["max_quote_age_from"]) == (3600.0, "flag")
    by_hand = {c: gap_fills_by_hand(run, c, times) for c in ("nautilus", "hummingbot")}
    assert by_hand["nautilus"] == [] and by_hand["hummingbot"]  # it ticks through the gap on the last quote
    analysis = analyse(RunFolder.load(run), load_settings())
    found = analysis.figures.columns["hummingbot"].execution_cost.gap_fills
    assert list(found.fill_ns) == by_hand["hummingbot"]
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["platforms"]["hummingbot"]["execution_cost"]["gap_fills"]["fill_ns"] == by_hand["hummingbot"]
    count = len(by_hand["hummingbot"])
    text = (run / "report.md").read_text()
    assert "| quote-age limit (no order against an older quote: a closed market) | 1 h (set on the command line) |" in text
    assert f"| fills into a closed market (the next quote more than 1.5 spacings after the fill's) | 0 | {count} |" in text
    (line,) = [c for c in text.splitlines() if c.startswith("- Closed market:") and "fill(s) into a closed market" in c]
    assert f"hummingbot made {count} fill(s) into a closed market (the next quote came" in line and "reopened" in line
    after = [np.searchsorted(times, t, side="right") for t in by_hand["hummingbot"]]
    gaps = [times[i] - times[i - 1] for i in after]  # from the quote the fill used to the next
    assert f"{max(gaps) / 3.6e12:.2f} h after the quote each used" in line
    first = pd.Timestamp(by_hand["hummingbot"][0], tz="UTC").strftime("%a %Y-%m-%d %H:%M:%S")
    assert first in line


@pytest.mark.parametrize("limit", ["derived", "1h"])
def test_every_measured_fill_is_priced_against_an_arrival_at_or_before_it(runs, limit):
    files, folders = runs
    run = folders[limit]
    quotes = pd.read_parquet(files.quotes)
    times, mids = quote_times(files), ((quotes["bid_price"] + quotes["ask_price"]) / 2).to_numpy()
    analysis = analyse(RunFolder.load(run), load_settings())
    for column in ("nautilus", "hummingbot"):
        cost = analysis.figures.columns[column].execution_cost
        measured = cost.per_fill
        assert len(measured) > 0 and (measured["arrival_quote_ns"] <= measured["sim_ts_ns"]).all()
        expected = arrivals_by_hand(run, column, times, mids)
        assert measured.set_index("signal_id")["arrival_mid"].to_dict() == pytest.approx(expected)
        fills = int((journal(run, column)["kind"] == "order_filled").sum())
        assert cost.unmeasured == fills - len(expected)


def gross_pnl_by_hand(fills: pd.DataFrame, last_mid: float) -> float:
    """Σ side × qty × (last mid − price): the PnL before fees, marked at the file's last quote."""
    sign = np.where(fills["side"].isin(["BUY", 1]), 1.0, -1.0)
    return float((sign * fills["qty"].astype(float) * (last_mid - fills["price"].astype(float))).sum())


def test_the_trading_results_difference_counts_the_signals_one_column_alone_traded(runs):
    """With the hour's limit hummingbot fills into a closed market, where nautilus cannot: the
    difference that settles trading results is each column's distance from the ideal reference's gross
    return over every signal period, so those fills move it, while the execution cost (signals both
    filled) is shown and scores nothing."""
    files, folders = runs
    run = folders["1h"]
    quotes = pd.read_parquet(files.quotes)
    last_mid = float((quotes["bid_price"].iloc[-1] + quotes["ask_price"].iloc[-1]) / 2)
    capital = json.loads((run / "inputs.json").read_text())["spec"]["core"]["decision"]["sizing"]["capital"]
    ideal = gross_pnl_by_hand(pd.read_parquet(run / "reference" / "ideal.parquet").assign(
        side=lambda t: np.where(t["side"] == 1, "BUY", "SELL")), last_mid)
    gaps = {}
    for column in ("nautilus", "hummingbot"):
        events = journal(run, column)
        gaps[column] = abs(gross_pnl_by_hand(events[events["kind"] == "order_filled"], last_mid) - ideal) / capital * 1e4
    assert gaps["hummingbot"] > 1.0 > gaps["nautilus"]
    metrics = json.loads((run / "metrics.json").read_text())
    (gap,) = [d for d in metrics["verdict"]["differences"] if d["figure"] == "return_gap"]
    assert (gap["category"], gap["resampling"]) == ("trading_results", "signal_periods")
    assert gap["values"] == pytest.approx([gaps["nautilus"], gaps["hummingbot"]], abs=1e-6)
    signal_times = pd.read_parquet(run / "reference" / "signals.parquet")["ts_ns"]
    marks_end = pd.read_parquet(run / "reference" / "marks.parquet")["ts_ns"].max()
    assert gap["units"] == [signal_times[signal_times <= marks_end].nunique()] * 2
    (cost,) = [d for d in metrics["verdict"]["differences"] if d["figure"] == "execution_cost"]
    assert cost["category"] is None
    (category,) = [c for c in metrics["verdict"]["categories"] if c["category"] == "trading_results"]
    (words,) = [line for line in (run / "report.md").read_text().splitlines()
                if line.startswith("- trading results between nautilus and hummingbot")]
    assert f"hummingbot {gaps['hummingbot']:+.2f} bps of capital (above it" in words or \
        f"hummingbot {-gaps['hummingbot']:+.2f} bps of capital (below it" in words
    count = len(gap_fills_by_hand(run, "hummingbot", quote_times(files)))
    assert f"hummingbot's {count} fill(s) into a closed market are among the trades that differ" in words
    if gap["judgement"] == "settled":
        assert category["winner"] == "nautilus" and category["scores"]["nautilus"] > category["scores"]["hummingbot"]
    else:
        assert gap["judgement"] == "within_noise" and category["winner"] == "tie"
        assert "trading results is a tie between nautilus and hummingbot: gross return's distance" in (run / "report.md").read_text()


@pytest.fixture(scope="module")
def sensitive(runs, tmp_path_factory):
    files, _ = runs
    return run_both(files, tmp_path_factory.mktemp("gaps-sensitivity"), "--sensitivity")


def test_each_setting_lists_what_it_moved_even_where_no_score_moved(sensitive):
    """Native venues charge each platform its own fee: the execution cost (fees included) moves beyond
    its threshold while the gross return the score reads does not, and the setting's row says so."""
    metrics = json.loads((sensitive / "metrics.json").read_text())
    (native,) = [o for o in metrics["sensitivity"] if o["key"] == "venue_model" and o["value"] == "native"]
    fee_bps = {}
    for original, column in native["columns"].items():
        fills = journal(sensitive, column).query("kind == 'order_filled'")
        fee_bps[original] = float((fills["fee"] / (fills["qty"] * fills["price"])).mean() * 1e4)
    cheaper = min(fee_bps, key=fee_bps.get)
    assert abs(fee_bps["nautilus"] - fee_bps["hummingbot"]) > 1.0
    (cost,) = [d for d in native["settled"] if d["figure"] == "execution_cost"]
    assert cost["category"] is None and {cost["first"], cost["second"]} == {"nautilus", "hummingbot"}
    assert cost["values"][0] - cost["values"][1] == pytest.approx(fee_bps[cost["first"]] - fee_bps[cost["second"]], abs=0.5)
    assert cost["judgement"] == "settled"
    better = cost["first"] if (cost["values"][0] < cost["values"][1]) else cost["second"]
    assert better == cheaper
    (row,) = [line for line in (sensitive / "report.md").read_text().splitlines() if line.startswith("| venue_model=native")]
    assert "execution cost per signal both filled" in row and f"for {cheaper} (shown, not scored)" in row


def test_a_setting_s_row_leaves_out_the_wall_clock_of_its_crowded_processes(sensitive):
    metrics = json.loads((sensitive / "metrics.json").read_text())
    listed = {d["figure"] for o in metrics["sensitivity"] for d in o["settled"]}
    assert "p99_fill_processing" not in listed and "execution_cost" in listed


def test_a_setting_s_row_shows_each_column_s_net_pnl_and_why_a_column_was_kept(sensitive):
    metrics = json.loads((sensitive / "metrics.json").read_text())
    for outcome in metrics["sensitivity"]:
        for original, column in outcome["columns"].items():
            fills = journal(sensitive, column).query("kind == 'order_filled'")
            assert outcome["net_pnl"][original] == pytest.approx(
                metrics_pnl(sensitive, column, fills), abs=1e-6), (outcome["key"], original)
    text = (sensitive / "report.md").read_text()
    (tick,) = [line for line in text.splitlines() if line.startswith("| tick=100ms")]
    assert "nautilus (has no such setting)" in tick


def metrics_pnl(run: Path, column: str, fills: pd.DataFrame) -> float:
    """Net PnL by hand: Σ side × qty × (last mid − price) − fees, marked at the run's last mark."""
    last_mid = float(pd.read_parquet(run / "reference" / "marks.parquet")["mid"].iloc[-1])
    return gross_pnl_by_hand(fills, last_mid) - float(fills["fee"].fillna(0.0).sum())


def test_a_platform_s_close_at_the_end_of_the_run_is_named_with_its_fee(runs):
    """Both platforms close what they hold when the run ends (``close_on_stop``, Hummingbot's as
    Nautilus'): one fill each, of the position their fills had built, which leaves them flat; the report
    names each with its fee, and no column as having closed nothing."""
    _, folders = runs
    run = folders["derived"]
    text = (run / "report.md").read_text()
    for column in ("nautilus", "hummingbot"):
        fills = journal(run, column).query("kind == 'order_filled'")
        signed = fills["qty"] * fills["side"].map({"BUY": 1.0, "SELL": -1.0})
        end = fills["code"] == "end_of_run"
        assert end.sum() == 1 and abs(signed[~end].sum()) > 0 and abs(signed.sum()) < 1e-9
        (line,) = [c for c in text.splitlines() if c.startswith(f"- Close at the end: {column}'s platform")]
        assert f"(1 fill(s)," in line and f"fees {fills.loc[end, 'fee'].sum():,.2f} USDT" in line
        assert "closed nothing at the end" not in line
