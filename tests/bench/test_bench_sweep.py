"""What a sweep costs and gains (``make bench``), on 8 replay cells (2 instruments × 4 Hummingbot ticks,
2 h of demo quotes each): the same cells as plain ``run-both`` commands one after another (the
baseline, measured in the same run), the sweep on one local worker (its overhead per cell over the
baseline), on two (its speed-up), and the peak RSS of the sweep's own process (client and scheduler;
the workers and their cells are processes of their own). Targets: under 1 s of overhead per cell, two
workers at most 0.6 of the baseline's time, the sweep's process under 300 MB."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from evaluator.sweep.grid import read_grid
from tests.sweep.conftest import GRID, grid_folder  # noqa: F401 - the fixture, shared with the sweep tests

ROOT = Path(__file__).resolve().parents[2]
TICKS = '["1s", "100ms", "500ms", "2s"]'
MAX_OVERHEAD_S = 1.0
MAX_TWO_WORKER_SHARE = 0.6
MAX_SWEEP_RSS_MB = 300.0


def timed_run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds of the command, and the peak RSS (MB) of its own process, sampled every 0.1 s."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0.0
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss / 1e6)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    assert process.wait() == 0, process.stderr.read()[-2000:]
    return time.perf_counter() - started, peak


@pytest.fixture(scope="module")
def grid(grid_folder) -> Path:
    path = grid_folder / "bench_grid.toml"
    path.write_text(GRID.replace('tick = ["1s", "100ms"]', f"tick = {TICKS}"))
    return path


def test_a_sweep_adds_little_per_cell_and_two_workers_halve_the_wall(benchmark, grid, tmp_path):
    cells = read_grid(grid).cells
    assert len(cells) == 8
    baseline = sum(timed_run([sys.executable, "-m", "evaluator.cli", "run-both", "--quotes", str(c.quotes), "--signals",
                              str(c.signals), *c.options, "--out", str(tmp_path / "alone" / c.name)])[0] for c in cells)
    sweep = [sys.executable, "-m", "evaluator.cli", "sweep", str(grid)]
    one, _ = timed_run([*sweep, "--out", str(tmp_path / "one"), "--workers", "1"])
    two, peak_mb = benchmark.pedantic(timed_run, args=([*sweep, "--out", str(tmp_path / "two"), "--workers", "2"],),
                                      rounds=1, iterations=1)
    overhead = (one - baseline) / len(cells)
    benchmark.extra_info.update(baseline_s=baseline, one_worker_s=one, two_workers_s=two, overhead_per_cell_s=overhead,
                                two_worker_share=two / baseline, sweep_peak_rss_mb=peak_mb)
    assert overhead < MAX_OVERHEAD_S, benchmark.extra_info
    assert two / baseline <= MAX_TWO_WORKER_SHARE, benchmark.extra_info
    assert peak_mb < MAX_SWEEP_RSS_MB, benchmark.extra_info
