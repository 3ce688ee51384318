"""What ``run-both --sensitivity`` costs (``make bench``): the whole run against one plain ``run-both``
on the same demo day, measured in the same session. Target: at most 2.5x."""

from __future__ import annotations

import json
import time

import pytest

from evaluator.cli import main
from shared_signals.demo import DemoParams, write_demo

MAX_RATIO = 2.5


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo-day"), DemoParams())


def timed_run(demo, out, *flags: str) -> float:
    started = time.perf_counter()
    assert main(["run-both", "--quotes", str(demo.quotes), "--signals", str(demo.signals), "--out", str(out), *flags]) == 0
    return time.perf_counter() - started


def test_sensitivity_costs_at_most_two_and_a_half_run_boths(benchmark, demo_day, tmp_path):
    plain_s = timed_run(demo_day, tmp_path / "plain")
    sensitivity_s = benchmark.pedantic(lambda: timed_run(demo_day, tmp_path / "sensitivity", "--sensitivity"),
                                       rounds=1, iterations=1)
    (folder,) = list((tmp_path / "sensitivity").iterdir())
    record = json.loads((folder / "inputs.json").read_text())
    ratio = sensitivity_s / plain_s
    benchmark.extra_info.update({"run_both_s": round(plain_s, 2), "sensitivity_s": round(sensitivity_s, 2),
                                 "ratio": round(ratio, 3), "columns": len(record["columns"]),
                                 "settings": [f"{a['key']}={a['value']}" for a in record["sensitivity"]]})
    assert ratio <= MAX_RATIO, benchmark.extra_info
