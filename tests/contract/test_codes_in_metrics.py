"""Facts are data: every skip, refusal and stop cause a real platform run journals is counted under
its own code in ``metrics.json`` (the "out of order" skip included), never read out of a sentence."""

import json
from dataclasses import replace

import pytest

from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.comparison import Columns
from evaluator.harness.reference import reference_for
from evaluator.harness.run_both import run_record
from evaluator.harness.run_inputs import read_run_inputs
from evaluator.report.build import build_report
from poc_nautilus import app as nautilus_app
from poc_nautilus.strategy import Q50Strategy
from shared_signals.config import DecisionParams, LoaderParams, RiskLimits, SignalCoreConfig, SizingParams
from shared_signals.contract.layout import WRITTEN_BY_RUN
from shared_signals.contract.record import write_record
from shared_signals.contract.spec import RunSpec
from tests.hummingbot.conftest import Harness, buy_signal, event_loop_for_connector, handmade, replay_options  # noqa: F401 - fixtures

S = 1_000_000_000


def write_run_folder(run_dir, *specs: RunSpec) -> None:
    """``inputs.json`` (the run record of these columns, the first the baseline) and ``reference/`` as
    run-both leaves them, around journals the test wrote."""
    columns = Columns.of(list(specs))
    write_record(run_dir, run_record(columns, read_run_inputs(columns.baseline_spec)))
    reference_for(RunFolder.load(run_dir), WRITTEN_BY_RUN)


def stability(run_dir, platform):
    return json.loads((run_dir / "metrics.json").read_text())["platforms"][platform]["stability"]


def test_every_skip_and_refusal_is_counted_under_its_own_code(tmp_path, handmade, event_loop_for_connector):
    quotes, signals = handmade
    run_dir = tmp_path / "run"
    core = SignalCoreConfig(
        loader=LoaderParams(tolerance_ns=10 * S), risk=RiskLimits(max_order_notional=1.0),
        decision=DecisionParams(sizing=SizingParams(capital=50.0)),
    )
    spec = replay_options(run_dir, quotes, signals, core=core)
    harness = Harness(replace(spec, core=replace(core, decision=DecisionParams())))  # Hummingbot: the gate refuses
    harness.run_until(1)
    harness.write(b"\x00\xffnot json")  # invalid
    harness.run_until(5)
    harness.write(harness.payload(buy_signal(harness, second=4.0)))  # in force; its BUY is over the notional cap
    harness.run_until(7)
    harness.write(harness.payload(buy_signal(harness, second=4.0), published_at_ns=2))  # duplicate
    harness.run_until(8)
    harness.write(harness.payload(buy_signal(harness, second=3.0)))  # out of order
    harness.run_until(17)  # the signal of 4 s expires at 14 s with no newer one
    harness.write(harness.payload(buy_signal(harness, second=5.0)))  # 13 s old when read: stale
    harness.run_until(20)
    harness.session.journal.close()
    nautilus_spec = replace(spec, platform="nautilus", column="nautilus", core=replace(core, risk=RiskLimits()))  # Nautilus' RiskEngine denies
    nautilus_app.run(nautilus_spec)
    write_run_folder(run_dir, spec, nautilus_spec)
    build_report(run_dir)

    hummingbot = stability(run_dir, "hummingbot")
    assert hummingbot["skipped"] == {"duplicate": 1, "expired": 1, "invalid": 1, "out_of_order": 1, "stale": 1}
    assert hummingbot["rejections_by_kind"] == {"max_order_notional": 1}
    nautilus = stability(run_dir, "nautilus")
    assert nautilus["rejections_by_kind"] == {"platform_denied": 2}
    assert nautilus["skipped"] == {} and nautilus["errors"] == 0


def test_a_stop_is_counted_as_the_users_not_as_an_error(tmp_path, small_demo, monkeypatch):
    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Q50Strategy, "replay_heartbeat", interrupted)
    spec = RunSpec(platform="nautilus", mode="replay", quotes=small_demo.quotes, signals=small_demo.signals, run_dir=tmp_path, run_id="s")
    with pytest.raises(KeyboardInterrupt):
        nautilus_app.run(spec)
    write_run_folder(tmp_path, spec)
    build_report(tmp_path)
    nautilus = stability(tmp_path, "nautilus")
    assert nautilus["errors_by_kind"] == {"interrupted": 1} and nautilus["errors"] == 0
