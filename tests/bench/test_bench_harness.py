"""What the harness around the platforms costs (``make bench``): ``run-both`` on three years of 1-minute
quotes and hourly signals, its wall against its slower column's own, and where the rest goes.

The run goes through the CLI as a user runs it (``evaluator.cli.main``), in this process so each phase
can be timed: the checks of the inputs, the supervised platforms (their process start included), the
reference replay left after them (made while they ran, when it can be), and the report (analysis with
its bootstrap, charts, files). The CLI's own imports are timed apart, in a fresh interpreter. Target:
the whole at most 1.3x the slower column's own process wall (its start to its exit, as a user running
that platform alone would wait); the column's wall inside its run is given beside it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from evaluator.cli import main
from evaluator.commands import inputs as inputs_command
from evaluator.harness import run_both as harness
from evaluator.report import build
from shared_signals.demo import DemoParams, write_demo

THREE_YEARS = DemoParams(hours=3 * 365 * 24.0, quote_interval_s=60, bar_minutes=60, seed=13)
MAX_OVER_SLOWER_COLUMN = 1.3


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("three-years"), THREE_YEARS)


def timed(phases: dict[str, float], name: str, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
    return wrapper


def cli_import_s() -> float:
    done = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import evaluator.cli; "
                           "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
    return float(done.stdout)


def test_run_both_costs_little_beside_its_slower_column(benchmark, three_years, tmp_path, monkeypatch):
    phases: dict[str, float] = {}
    monkeypatch.setattr(inputs_command, "read_run_inputs", timed(phases, "inputs checked", inputs_command.read_run_inputs))
    monkeypatch.setattr(harness, "supervise", timed(phases, "platforms supervised", harness.supervise))
    monkeypatch.setattr(harness, "reference_for", timed(phases, "reference, marks and touch", harness.reference_for))
    monkeypatch.setattr(harness, "build_report", timed(phases, "report", harness.build_report))
    monkeypatch.setattr(build, "write_charts", timed(phases, "of which charts", build.write_charts))
    out = tmp_path / "out"

    def once() -> float:
        started = time.perf_counter()
        assert main(["run-both", "--quotes", str(three_years.quotes), "--signals", str(three_years.signals), "--out", str(out)]) == 0
        return time.perf_counter() - started

    run_s = benchmark.pedantic(once, rounds=1, iterations=1)
    imports_s = cli_import_s()
    folder = next(out.iterdir())
    walls = {}
    for column in json.loads((folder / "metrics.json").read_text())["platforms"]:
        ended = json.loads((folder / column / "exit.json").read_text())
        walls[column] = {"process_s": round((ended["ended_ns"] - ended["started_ns"]) / 1e9, 2),
                         "run_s": round(json.loads((folder / column / "result.json").read_text())["wall_s"], 2)}
    slower = max(walls, key=lambda c: walls[c]["process_s"])
    total = imports_s + run_s
    benchmark.extra_info.update({
        "run_both_s": round(total, 2), "cli_imports_s": round(imports_s, 2), "phases_s": {k: round(v, 2) for k, v in phases.items()},
        "columns": walls, "over_slower_process": round(total / walls[slower]["process_s"], 3),
        "over_slower_run": round(total / walls[slower]["run_s"], 3),
    })
    assert total <= MAX_OVER_SLOWER_COLUMN * walls[slower]["process_s"], benchmark.extra_info
