"""Any number of columns in one comparison, each a real platform process: a column's own figures do not
depend on which other columns ran beside it, and every pairwise figure exists for each column against
the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluator.cli import main

pytestmark = pytest.mark.slow
FAST = "hb-fast=hummingbot,tick=100ms"
MARKET_FIGURES = (
    ("trading", "trades"), ("trading", "pnl"), ("trading", "fees"), ("trading", "gross_return_pct"), ("trading", "volume"),
    ("accuracy", "decided"), ("accuracy", "filled_as_decided"), ("accuracy", "executed_as_intended"),
    ("market_to_fill", "p50_ms"), ("market_to_fill", "max_ms"), ("execution_cost", "fills"),
)
"""Figures that rest on market time and fills alone (processing times and CPU depend on the neighbours)."""


def run(tmp_path: Path, name: str, demo, *flags: str) -> tuple[Path, dict]:
    out = tmp_path / name
    files = ["--quotes", str(demo.quotes), "--signals", str(demo.signals)]
    assert main(["run-both", *files, "--out", str(out), *flags]) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder, json.loads((folder / "metrics.json").read_text())


def columns(metrics: dict) -> list[str]:
    """The columns in their run order (``metrics.json`` sorts its keys; the run record keeps the order)."""
    names = [c["name"] for c in metrics["inputs"]["columns"]]
    assert set(names) == set(metrics["platforms"])
    return names


def figure(metrics: dict, column: str, path: tuple[str, str]):
    section, name = path
    return metrics["platforms"][column][section][name]


@pytest.fixture(scope="module")
def three_and_two(small_demo, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("columns")
    return run(tmp, "three", small_demo, "--variant", FAST, "--platforms", "nautilus", "hummingbot", "hb-fast"), \
        run(tmp, "two", small_demo)


def test_each_column_of_three_has_the_figures_of_its_platform_in_a_two_column_run(three_and_two):
    (_, three), (_, two) = three_and_two
    assert columns(three) == ["nautilus", "hummingbot", "hb-fast"]
    for column in ("nautilus", "hummingbot"):
        for path in MARKET_FIGURES:
            assert figure(three, column, path) == figure(two, column, path), (column, path)


def test_the_variant_runs_its_own_settings(three_and_two):
    (folder, three), _ = three_and_two
    spec = json.loads((folder / "hb-fast" / "spec.json").read_text())
    assert spec["platform"] == "hummingbot" and spec["column"] == "hb-fast" and spec["settings"]["tick_size_s"] == 0.1
    ticks = {c: json.loads((folder / c / "result.json").read_text())["details"]["clock_ticks"] for c in ("hummingbot", "hb-fast")}
    assert ticks["hb-fast"] == pytest.approx(10 * ticks["hummingbot"], rel=1e-3)  # its clock ticks every 100 ms
    for column in ("hummingbot", "hb-fast"):  # no fill delay set: each fills at its decision's time, whatever its tick
        assert figure(three, column, ("market_to_fill", "p50_ms")) == figure(three, column, ("market_to_order", "p50_ms"))
    record = {c["name"]: c for c in three["inputs"]["columns"]}
    assert record["hb-fast"]["tick_s"] == 0.1 and record["hb-fast"]["changed"] == [{"key": "tick", "value": "100ms", "source": "variant"}]
    assert "hb-fast" in (folder / "report.md").read_text().split("| column | what it runs |")[1].split("\n\n")[0]


def test_every_pairwise_figure_is_each_column_against_the_baseline(three_and_two):
    (_, three), (_, two) = three_and_two
    assert three["baseline"] == "nautilus"
    pairs = [(a["first"], a["second"]) for a in three["agreement"]]
    assert pairs == [("nautilus", "hummingbot"), ("nautilus", "hb-fast")]
    assert [(a["first"], a["second"]) for a in three["attribution"]] == pairs
    for attribution in three["attribution"]:
        assert attribution["remainder"] == pytest.approx(0.0, abs=1e-6)
        assert attribution["difference"] == pytest.approx(
            three["platforms"][attribution["first"]]["trading"]["pnl"] - three["platforms"][attribution["second"]]["trading"]["pnl"])
    found = {(d["first"], d["second"]) for d in three["verdict"]["differences"]}
    assert found == set(pairs)
    same = three["agreement"][0]
    assert (same["compared"], same["agreeing"]) == (two["agreement"][0]["compared"], two["agreement"][0]["agreeing"])
    assert set(three["verdict"]["overall"]) == {"nautilus", "hummingbot", "hb-fast"}


def test_four_columns_with_two_variants_of_one_platform(small_demo, tmp_path):
    folder, metrics = run(tmp_path, "four", small_demo, "--variant", FAST, "--variant", "hb-limit=hummingbot,order_type=limit",
                          "--platforms", "hummingbot", "nautilus", "hb-fast", "hb-limit", "--baseline", "hb-fast")
    assert columns(metrics) == ["hummingbot", "nautilus", "hb-fast", "hb-limit"]
    assert [(a["first"], a["second"]) for a in metrics["agreement"]] == [("hb-fast", "hummingbot"), ("hb-fast", "nautilus"), ("hb-fast", "hb-limit")]
    limit = json.loads((folder / "hb-limit" / "run.json").read_text())
    assert limit["platform"]["config"]["order_type"] == "limit"
    assert all(metrics["platforms"][c]["trading"]["trades"] > 0 for c in metrics["platforms"])
    markdown = (folder / "report.md").read_text()
    assert markdown.count("### Agreement: hb-fast and ") == 3


def test_a_live_run_of_three_columns(small_demo, tmp_path):
    folder, metrics = run(tmp_path, "live", small_demo, "--mode", "live", "--speed", "240", "--duration", "12s",
                          "--variant", FAST, "--platforms", "nautilus", "hummingbot", "hb-fast")
    assert columns(metrics) == ["nautilus", "hummingbot", "hb-fast"]
    for column, entry in metrics["platforms"].items():
        assert entry["stability"]["completed"] and entry["stability"]["errors"] == 0, column
        assert entry["trading"]["trades"] > 0, column
    for column in ("hummingbot", "hb-fast"):
        assert metrics["platforms"][column]["transport"]["received"] > 0
    assert len(metrics["agreement"]) == 2
