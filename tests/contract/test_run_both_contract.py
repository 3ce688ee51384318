"""The run contract on a real run-both: both platforms' journals have one record shape per event kind,
and ``poc-eval report`` rebuilds a finished run's report byte for byte from its files, without
replaying the reference again (only a run that lacks one gets it rebuilt, and the report says so)."""

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from evaluator.harness.comparison import Columns
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import SupervisorConfig
from shared_signals.contract.journal import read_journal
from shared_signals.contract.layout import REFERENCE_DIR, REFERENCE_ORIGIN_JSON
from shared_signals.contract.spec import RunSpec

pytestmark = pytest.mark.slow
FAST_SAMPLING = SupervisorConfig(sample_interval_s=0.2, poll_interval_s=0.05)
OUTPUTS = ("report.md", "metrics.json")


@pytest.fixture(scope="module")
def finished_run(small_demo, tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("contract") / "run"
    spec = RunSpec(platform="nautilus", mode="replay", quotes=small_demo.quotes, signals=small_demo.signals, run_dir=run_dir, run_id="c1")
    columns = Columns.of([spec, replace(spec, platform="hummingbot", column="hummingbot")])
    report, exits = run_both(columns, FAST_SAMPLING)
    assert set(exits) == {"nautilus", "hummingbot"} and {e.returncode for e in exits.values()} == {0}
    return report.folder


def field_sets(events):
    """Per event kind (and whether a signal caused it), the sets of fields its records fill."""
    shapes = {}
    for (kind, caused), rows in events.groupby([events["kind"], events["signal_id"].notna()]):
        filled = {frozenset(name for name, value in row.items() if value is not None and value == value) for _, row in rows.iterrows()}
        shapes[(kind, caused)] = filled
    return shapes


def test_both_platforms_write_the_same_record_for_every_kind(finished_run):
    nautilus = field_sets(read_journal(finished_run / "nautilus").events)
    hummingbot = field_sets(read_journal(finished_run / "hummingbot").events)
    shared = set(nautilus) & set(hummingbot)
    assert {"signal_received", "decision", "order_submitted", "order_accepted", "order_filled", "heartbeat"} <= {kind for kind, _ in shared}
    for key in shared:
        assert nautilus[key] == hummingbot[key], key
    decisions = read_journal(finished_run / "hummingbot").events.query("kind == 'decision'")
    assert decisions["price"].notna().all() and decisions["code"].isin(["BUY", "SELL", "CLOSE", "HOLD"]).all()


def test_each_venue_acknowledges_every_order_of_a_signal_and_the_report_shows_the_stages(finished_run):
    for name in ("nautilus", "hummingbot"):
        events = read_journal(finished_run / name).events
        orders = events[(events["kind"] == "order_submitted") & events["signal_id"].notna()]
        acks = events[(events["kind"] == "order_accepted") & events["signal_id"].notna()]
        assert len(orders) > 0, name
        key = ["signal_id", "side", "qty"]
        assert acks[key].sort_values(key).to_numpy().tolist() == orders[key].sort_values(key).to_numpy().tolist(), name
    report = (finished_run / "report.md").read_text()
    stages = report[report.index("### Stages"):report.index("## Execution accuracy")]
    assert "| submitted → accepted | " in stages and "| published → received | — | " in stages
    assert "hummingbot: accepted after the next milestone" in stages  # its paper exchange announces creation late
    assert (finished_run / "charts" / "stages.png").stat().st_size > 0


def test_every_record_names_its_process(finished_run):
    strategy = read_journal(finished_run / "hummingbot").events
    provider = read_journal(finished_run / "hummingbot" / "provider").events
    assert set(strategy["component"]) == {"strategy"} and set(provider["component"]) == {"provider"}
    assert set(provider["code"]) == {"written"}  # how the file transport delivered each published signal


def digests(folder):
    files = [folder / name for name in OUTPUTS] + sorted((folder / "charts").glob("*.png"))
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def poc_eval(*args):
    return subprocess.run([sys.executable, "-m", "evaluator.cli", *args], capture_output=True, text=True, timeout=300)


def test_report_rebuilds_a_finished_run_byte_for_byte_without_replaying_the_reference(finished_run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(finished_run, copy)
    before = digests(copy)
    reference_stamps = {p.name: p.stat().st_mtime_ns for p in (copy / REFERENCE_DIR).iterdir()}
    for name in OUTPUTS:
        (copy / name).unlink()
    shutil.rmtree(copy / "charts")
    done = poc_eval("report", str(copy))
    assert done.returncode == 0, done.stderr
    assert digests(copy) == before
    assert {p.name: p.stat().st_mtime_ns for p in (copy / REFERENCE_DIR).iterdir()} == reference_stamps
    assert "rebuilt" not in done.stderr and "rebuilt" not in (copy / "report.md").read_text()


def test_a_run_without_its_reference_gets_it_rebuilt_and_says_so(finished_run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(finished_run, copy)
    shutil.rmtree(copy / REFERENCE_DIR)
    done = poc_eval("report", str(copy))
    assert done.returncode == 0, done.stderr
    assert "rebuilt it from the recorded inputs" in done.stderr
    assert json.loads((copy / REFERENCE_DIR / REFERENCE_ORIGIN_JSON).read_text())["written_by"] == "report"
    assert "`poc-eval report` rebuilt it" in (copy / "report.md").read_text()
    assert json.loads((copy / "metrics.json").read_text())["platforms"]["nautilus"]["accuracy"]["share"] == 1.0
