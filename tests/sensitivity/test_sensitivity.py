"""``run-both --sensitivity``: each harness setting's verdict is the verdict of a standalone run with that
setting, and the report's first lines say where the recommendation holds."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from evaluator.cli import main
from evaluator.commands.sensitivity import column_name

pytestmark = pytest.mark.slow
MARKET_CATEGORIES = ("latency", "execution_accuracy", "trading_results")
"""Categories that rest on market time and fills alone: a crowded machine cannot change them."""


def standalone_flags(key: str, value: str, tmp: Path) -> list[str]:
    """The user-facing way to run the whole comparison with ``key=value``."""
    if key == "max_quote_age":
        core = tmp / "core.json"
        core.write_text(json.dumps({"risk": {"max_quote_age_s": {"1h": 3600}[value]}}))
        return ["--core-config", str(core)]
    return {"tick": ["--tick-size", value], "fill_delay": ["--fill-delay", value],
            "venue_model": ["--venue-model", value]}[key]


def run(out: Path, demo, *flags: str) -> tuple[Path, dict]:
    assert main(["run-both", "--quotes", str(demo.quotes), "--signals", str(demo.signals), "--out", str(out), *flags]) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder, json.loads((folder / "metrics.json").read_text())


def scores(metrics: dict) -> dict[str, dict[str, float]]:
    return {c["category"]: c["scores"] for c in metrics["verdict"]["categories"]}


@pytest.fixture(scope="module")
def sensitive(small_demo, tmp_path_factory):
    return run(tmp_path_factory.mktemp("sensitivity"), small_demo, "--sensitivity")


def test_every_setting_is_tried_and_named_in_the_first_lines(sensitive):
    folder, metrics = sensitive
    entries = {(e["key"], e["value"]) for e in metrics["sensitivity"]}
    assert {("tick", "100ms"), ("fill_delay", "2s"), ("venue_model", "native")} <= entries
    head = "\n".join((folder / "report.md").read_text().splitlines()[:6])
    for key, value in entries:
        assert f"{key}={value}" in head
    assert sorted(metrics["platforms"]) == ["hummingbot", "nautilus"]


def with_machine_of(folder: Path, measured: Path) -> None:
    """``folder``'s columns given the resource samples and wall time of ``measured``'s same-named columns."""
    for column in ("nautilus", "hummingbot"):
        shutil.copyfile(measured / column / "resources.jsonl", folder / column / "resources.jsonl")
        result = json.loads((folder / column / "result.json").read_text())
        result["wall_s"] = json.loads((measured / column / "result.json").read_text())["wall_s"]
        (folder / column / "result.json").write_text(json.dumps(result))


def test_each_entry_is_the_verdict_of_a_standalone_run_with_its_setting(sensitive, small_demo, tmp_path):
    """A standalone run with the setting scores the market-time categories the same; given the
    comparison's machine figures (the entry's, as the sensitivity documents), it recommends the same."""
    folder, metrics = sensitive
    for entry in metrics["sensitivity"]:
        key, value = entry["key"], entry["value"]
        alone_folder, alone = run(tmp_path / f"{key}-{value}", small_demo, *standalone_flags(key, value, tmp_path))
        for category in MARKET_CATEGORIES:
            assert scores(alone)[category] == pytest.approx(entry["scores"][category]), (key, value, category)
        assert "was not measured: `run-both --sensitivity`" in "\n".join((alone_folder / "report.md").read_text().splitlines()[:6])
        with_machine_of(alone_folder, folder)
        assert main(["report", str(alone_folder)]) == 0
        held = json.loads((alone_folder / "metrics.json").read_text())
        assert entry["recommended"] == held["verdict"]["recommended"], (key, value)
        assert entry["overall"] == pytest.approx(held["verdict"]["overall"], abs=0.011), (key, value)


def test_a_setting_a_column_cannot_change_keeps_the_column(sensitive):
    folder, metrics = sensitive
    record = json.loads((folder / "inputs.json").read_text())
    rerun = {alt for a in record["sensitivity"] for _, alt in a["columns"]}
    assert {c["name"] for c in record["columns"]} == rerun | {"nautilus", "hummingbot"}
    for entry in record["sensitivity"]:
        if entry["key"] == "tick":
            assert [base for base, _ in entry["columns"]] == ["hummingbot"]


def test_sensitivity_is_for_replays(small_demo, tmp_path, capsys):
    code = main(["run-both", "--mode", "live", "--duration", "10s", "--sensitivity", "--quotes", str(small_demo.quotes),
                 "--signals", str(small_demo.signals), "--out", str(tmp_path)])
    assert code == 2
    assert "--sensitivity: replay only" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_names_stay_column_names():
    assert column_name("hummingbot", "venue_model", "native", set()) == "hummingbot-venue_model-native"
    long = column_name("a-very-long-variant-name", "max_quote_age", "1h", set())
    assert len(long) <= 32 and long != column_name("a-very-long-variant-name", "max_quote_age", "1h", {long})


def test_a_quote_age_limit_no_quote_reaches_reruns_nothing(sensitive):
    """On 1 s quotes without gaps a quote is never a second old at a decision: the limit at 1 s or at
    1 h refuses nothing, so no column is rerun and the comparison's verdict is the setting's."""
    folder, metrics = sensitive
    record = json.loads((folder / "inputs.json").read_text())
    (entry,) = [a for a in record["sensitivity"] if a["key"] == "max_quote_age"]
    assert entry["columns"] == [] and sorted(entry["unchanged"]) == ["hummingbot", "nautilus"]
    (outcome,) = [o for o in metrics["sensitivity"] if o["key"] == "max_quote_age"]
    assert outcome["recommended"] == metrics["verdict"]["recommended"] and outcome["holds"]


def test_a_quote_age_limit_reruns_a_ticking_platform_where_the_quotes_have_gaps():
    from evaluator.commands.sensitivity import _changes
    from shared_signals.contract.platforms import GATE_KEYS, REGISTRY
    from shared_signals.contract.record import ColumnRecord
    from shared_signals.contract.spec import RunSpec
    from shared_signals.quotes import QuoteSpan

    key = GATE_KEYS[0]
    spec = RunSpec(platform="hummingbot", mode="replay", quotes=Path("q"), signals=Path("s"), run_dir=Path("r"), run_id="x")
    spec = replace(spec, core=replace(spec.core, risk=replace(spec.core.risk, max_quote_age_s=900.0)))
    ticking = ColumnRecord(name="hummingbot", platform="hummingbot", label="", colour="", acts_on="ticks", tick_s=1.0)
    quoting = ColumnRecord(name="nautilus", platform="nautilus", label="", colour="", acts_on="quotes")
    weekend = QuoteSpan(rows=10, first_ns=0, last_ns=10, spacing_ns=900 * 10**9, longest_gap_ns=49 * 3600 * 10**9)
    regular = QuoteSpan(rows=10, first_ns=0, last_ns=10, spacing_ns=900 * 10**9, longest_gap_ns=900 * 10**9)
    assert _changes(spec, ticking, REGISTRY["hummingbot"], key, "1h", weekend) is True
    assert _changes(spec, ticking, REGISTRY["hummingbot"], key, "1h", regular) is False
    assert _changes(spec, quoting, REGISTRY["nautilus"], key, "1h", weekend) is False
    assert _changes(spec, ticking, REGISTRY["hummingbot"], key, "15m", weekend) is None
