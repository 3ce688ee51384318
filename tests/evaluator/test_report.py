"""The report of a hand-made run folder: same numbers as metrics.json, charts exist, rebuild identical."""

import hashlib
import json
import re
import shutil

import pandas as pd
import pytest

from evaluator.analysis.verdict import NO_RECOMMENDATION, Unscored
from shared_signals.contract.journal import EventKind, JournalWriter
from evaluator.harness.reference import write_reference
from shared_signals.reference import ReferenceVenue
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.record import FileFacts, HarnessFacts, MachineFacts, OverlapFacts, QuoteFacts, RunRecord, write_record
from shared_signals.contract.spec import RunSpec
from evaluator.cli import main as cli_main
from evaluator.commands.columns import column_record
from evaluator.harness.complexity import platform_complexity
from evaluator.report.build import build_report
from evaluator.report.numbers import fmt, percent
from evaluator.report.verdict import reasons_and_caveats
from evaluator.settings import load_settings
from shared_signals.contract.layout import EXIT_JSON, IDEAL_REFERENCE, INPUTS_JSON, WRITTEN_BY_RUN
from shared_signals.errors import InputError
from tests.evaluator.journals import MS, S
from tests.evaluator.plans import columns_of

START = pd.Timestamp("2025-01-06", tz="UTC").value


def write_platform(run_dir, name, fills, returncode=0, completed=True):
    folder = run_dir / name
    journal = JournalWriter(folder, "r1", name, "BTCUSDT")
    wall = 1_000 * S
    for i in range(10):
        journal.write(EventKind.HEARTBEAT, sim_ts_ns=START + i * 800 * S, wall_ns=wall + i * S, position_after=0.0)
    for k, (signal_id, side, qty, price, position, delay_ms) in enumerate(fills):
        t = wall + (k + 1) * S
        journal.write(EventKind.SIGNAL_RECEIVED, sim_ts_ns=START + k * 60 * S, signal_id=signal_id, wall_ns=t)
        journal.write(EventKind.ORDER_SUBMITTED, sim_ts_ns=START + k * 60 * S, signal_id=signal_id, side=side, qty=qty, price=price, wall_ns=t + delay_ms * MS)
        journal.write(EventKind.ORDER_FILLED, sim_ts_ns=START + k * 60 * S, signal_id=signal_id, side=side, qty=qty, price=price,
                      position_after=position, wall_ns=t + 2 * delay_ms * MS, fee=0.5)
    journal.close()
    samples = [{"wall_ns": wall + i * S, "rss_mb": 200.0 + i, "cpu_pct": 50.0, "threads": 5, "open_files": 9, "processes": 1} for i in range(10)]
    (folder / "resources.jsonl").write_text("".join(json.dumps(s) + "\n" for s in samples))
    (folder / EXIT_JSON).write_text(json.dumps({"platform": name, "returncode": returncode, "started_ns": wall, "ended_ns": wall + 10 * S}))
    if completed:
        (folder / "result.json").write_text(json.dumps({"platform": name, "quotes": 600, "wall_s": 2.0, "orders": len(fills), "fills": len(fills), "rejections": 0}))


@pytest.fixture
def run_dir(tmp_path, small_demo):
    folder = tmp_path / "r1"
    folder.mkdir()
    spec = RunSpec(platform="nautilus", mode="replay", quotes=small_demo.quotes, signals=small_demo.signals, run_dir=folder, run_id="r1")
    columns = columns_of(spec).specs
    write_record(folder, RunRecord(
        run_id="r1", spec=spec.to_dict(), columns=tuple(column_record(c, REGISTRY[c.platform]) for c in columns), baseline="nautilus",
        quotes=QuoteFacts(path=str(small_demo.quotes), bytes=1, sha256="ab" * 32, rows=7200, spacing_ns=S, first="a", last="b"),
        signals=FileFacts(path=str(small_demo.signals), bytes=1, sha256="cd" * 32, rows=24),
        overlap=OverlapFacts(24, 24), versions={"python": "3.12"}, machine=MachineFacts(2, "Linux", "x86_64"),
        harness=HarnessFacts(wall_s=10.0, supervisor_cpu_pct=0.4, sampling_cpu_pct=0.01, supervisor_rss_start_mb=80.0,
                             supervisor_rss_end_mb=81.0),
        complexity={c.platform: platform_complexity(c.platform) for c in columns},  # as a run measures it
    ))
    write_platform(folder, "nautilus", [("s1", 1, 0.1, 60_000.0, 0.1, 1), ("s2", -1, 0.2, 60_100.0, -0.1, 1)])
    write_platform(folder, "hummingbot", [("s1", 1, 0.1, 60_010.0, 0.1, 40), ("s3", 1, 0.1, 60_000.0, 0.1, 40)], returncode=-9, completed=False)
    venues = {"nautilus": ReferenceVenue(0), "hummingbot": ReferenceVenue(5 * S), IDEAL_REFERENCE: ReferenceVenue(0, spec.venue.fee_rate)}
    write_reference(folder, spec, venues, None, WRITTEN_BY_RUN)
    return folder


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_report_numbers_match_metrics_json(run_dir):
    report = build_report(run_dir)
    text = report.markdown.read_text()
    metrics = json.loads(report.metrics.read_text())
    for name in ("nautilus", "hummingbot"):
        m = metrics["platforms"][name]
        for value in (m["latency_to_order"]["p99_ms"], m["latency_to_fill"]["p50_ms"], m["trading"]["pnl"], m["resources"]["peak_rss_mb"]):
            assert fmt(value) in text
        assert m["accuracy"]["actionable"] > 0
        assert percent(m["accuracy"]["share"]) in text
    for score in metrics["verdict"]["overall"].values():
        assert f"**{fmt(score)}**" in text
    assert metrics["verdict"]["recommended"] in text


def test_every_linked_chart_exists(run_dir):
    report = build_report(run_dir)
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report.markdown.read_text())
    assert len(links) == 5  # latency, stages, equity, attribution, resources
    for link in links:
        assert (run_dir / link).stat().st_size > 1000


def test_crash_and_incomplete_run_are_reported(run_dir):
    text = build_report(run_dir).markdown.read_text()
    assert "Incomplete run" in text and "hummingbot crashed" in text and "exit code -9" in text


def test_rebuild_is_identical(run_dir, tmp_path):
    first = build_report(run_dir)
    files = [first.markdown, first.metrics, *first.charts.values()]
    before = {p.name: digest(p) for p in files}
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    for p in files:
        (copy / p.relative_to(run_dir)).unlink()
    second = build_report(copy)
    after = {p.name: digest(p) for p in [second.markdown, second.metrics, *second.charts.values()]}
    assert before == after


def test_unwritable_report_gives_a_clear_error_and_no_report(run_dir):
    (run_dir / ".report.md.tmp").mkdir()  # the report's temporary file cannot be created, as on a full or read-only disk
    with pytest.raises(InputError, match="cannot write the report"):
        build_report(run_dir)
    assert not (run_dir / "report.md").exists()


def test_live_runs_do_not_score_throughput(run_dir):
    assert "scalability" in [c.category for c in build_report(run_dir).analysis.verdict.categories]  # a replay scores it
    inputs = json.loads((run_dir / INPUTS_JSON).read_text())
    (run_dir / INPUTS_JSON).write_text(json.dumps({**inputs, "spec": {**inputs["spec"], "mode": "live"}}))
    report = build_report(run_dir)
    analysis = report.analysis
    verdict = analysis.verdict
    categories = [c.category for c in verdict.categories]
    assert "scalability" not in categories
    assert [c for c, why in verdict.unscored.items() if why == Unscored.LIVE_THROUGHPUT] == ["scalability"]  # nothing else is left out for being live
    _, caveats = reasons_and_caveats(verdict, analysis.figures, analysis.pairs, load_settings())
    live = [c for c in caveats if "in live mode" in c]
    assert len(live) == 1 and live[0].startswith("scalability not scored")
    assert "scalability not scored" in report.markdown.read_text()


def doubted_report(run_dir):
    report = build_report(run_dir)
    metrics = json.loads(report.metrics.read_text())
    return report.markdown.read_text(), metrics


@pytest.mark.parametrize(
    ("spoil", "kind", "words"),
    [
        (lambda d: (d / "hummingbot" / "events.jsonl").write_text(""), "journal_empty", "hummingbot's journal holds no event"),
        (lambda d: (d / "hummingbot" / "events.jsonl").unlink(), "journal_missing", "hummingbot wrote no journal"),
        (lambda d: (d / "nautilus" / "events.jsonl").open("a").write('{"run_id": "r1", "kind": "order_fi'), "journal_torn",
         "nautilus's journal has 1 unreadable line"),
        (lambda d: (d / "nautilus" / "result.json").write_text(json.dumps(
            {"platform": "nautilus", "quotes": 600, "wall_s": 2.0, "orders": 5, "fills": 2, "rejections": 0})),
         "result_disagrees", "nautilus reported 5 orders at the end, its journal holds 2"),
    ],
)
def test_a_journal_in_doubt_is_said_at_the_top_and_withholds_the_recommendation(run_dir, spoil, kind, words):
    spoil(run_dir)
    report = build_report(run_dir)
    text, metrics = report.markdown.read_text(), json.loads(report.metrics.read_text())
    platform = "hummingbot" if "hummingbot" in words else "nautilus"
    assert metrics["verdict"]["recommended"] == NO_RECOMMENDATION
    assert [(d["kind"], d["column"]) for d in metrics["verdict"]["withheld"]] == [(kind, platform)]
    assert [d["kind"] for d in metrics["platforms"][platform]["doubts"]] == [kind]
    analysis = report.analysis
    reasons, _ = reasons_and_caveats(analysis.verdict, analysis.figures, analysis.pairs, load_settings())
    assert reasons[0].startswith("no recommendation: ") and words in reasons[0]
    header = text.split("## Summary")[0]
    assert "Incomplete run, no recommendation" in header and words in header
    assert "Recommended: **none**" in header


def test_a_run_where_no_journal_can_be_trusted_reports_and_exits_non_zero(run_dir, capsys):
    for name in ("nautilus", "hummingbot"):
        (run_dir / name / "events.jsonl").write_text("")
    code = cli_main(["report", str(run_dir)])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 1 and lines[-1].startswith("error:") and "nothing in this run can be trusted" in lines[-1]
    assert (run_dir / "report.md").exists()


def test_a_garbage_result_file_is_read_as_absent(run_dir):
    (run_dir / "nautilus" / "result.json").write_text("[1, 2]")
    text, metrics = doubted_report(run_dir)
    assert metrics["platforms"]["nautilus"]["stability"]["completed"] is False


def test_a_long_list_of_differences_says_it_is_cut(run_dir):
    """Twenty signals only one platform traded: the report lists the first 15 and says so; metrics.json has all."""
    fills = [(f"x{k:02d}", 1, 0.1, 60_000.0, 0.1 * (k + 1), 1) for k in range(20)]
    shutil.rmtree(run_dir / "nautilus")
    write_platform(run_dir, "nautilus", fills)
    report = build_report(run_dir)
    assert "The first 15 of 22 differences; `metrics.json` lists them all." in report.markdown.read_text()
    (agreement,) = json.loads(report.metrics.read_text())["agreement"]  # one pair: hummingbot against the baseline
    assert (agreement["first"], agreement["second"]) == ("nautilus", "hummingbot")
    assert len(agreement["differences"]) == 22
