"""Bad grids get one line naming the file and what is wrong, exit 2, and run nothing."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.analysis.sweep import CellState, cell_result
from evaluator.sweep.grid import read_grid
from evaluator.sweep.state import core_file
from tests.sweep.conftest import GRID

ROOT = Path(__file__).resolve().parents[2]


def sweep(grid: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaluator.cli", "sweep", str(grid), "--out", str(grid.parent / "out"), *flags],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_grid_spans_the_product_of_its_axes(grid_folder):
    grid = read_grid(grid_folder / "grid.toml")
    assert [c.words() for c in grid.cells] == [
        f"instrument={i}, mode=replay, platforms=nautilus+hummingbot, tick={t}" for i in ("BTCUSDT", "ETHUSDT") for t in ("1s", "100ms")]
    assert grid.axes == ("instrument", "tick")
    assert grid.cells[1].options == ("--mode", "replay", "--platforms", "nautilus", "hummingbot", "--tick-size", "100ms",
                                     "--instrument", "BTCUSDT")


@pytest.mark.parametrize("change, message", [
    (("tick = [", "tik = ["), "unknown key grid.tik"),
    (("tick = [\"1s\", \"100ms\"]", "tick = [1]"), "grid.tick item 0: expected `str`, got `int`"),
    (("tick = [\"1s\", \"100ms\"]", "tick = []"), "grid axis tick is empty: give it at least one value"),
    (("instrument = [\"BTCUSDT\", \"ETHUSDT\"]", "instrument = [\"BTCUSDT\", \"SOLUSDT\"]"), "instrument SOLUSDT has no quote file"),
    (("mode = [\"replay\"]", "mode = [\"replai\"]"), "grid.mode item 0: invalid enum value 'replai'"),
    (("signals = ", "speeed = \"10\"\nsignals = "), "unknown key speeed"),
    (("[grid]", "SOLUSDT = \"quotes_ETHUSDT.parquet\"\n[grid]"), "quotes.SOLUSDT: not an instrument of grid.instrument"),
])
def test_a_bad_grid_is_one_line_naming_the_key(grid_folder, tmp_path, change, message):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID.replace(*change).replace('"macro', f'"{grid_folder}/macro').replace('"quotes_', f'"{grid_folder}/quotes_'))
    done = sweep(grid)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert message in line and str(grid) in line, line
    assert not (tmp_path / "out" / "cells").exists()


XRP_QUOTES = ('ETHUSDT = "quotes_ETHUSDT.parquet"', 'XRPUSDT = "quotes_ETHUSDT.parquet"')


@pytest.mark.parametrize("changes, message", [
    ((XRP_QUOTES, ('["BTCUSDT", "ETHUSDT"]', '["BTCUSDT", "XRPUSDT"]')), "cell-002 (instrument=XRPUSDT"),  # quotes, no signals
    ((('tick = ["1s", "100ms"]', 'tick = ["1s", "10ms"]'),), "cell-001 (instrument=BTCUSDT"),  # below Hummingbot's 100 ms
])
def test_a_cell_run_both_would_refuse_is_named_before_any_runs(grid_folder, tmp_path, changes, message):
    text = GRID
    for change in changes:
        text = text.replace(*change)
    grid = tmp_path / "grid.toml"
    grid.write_text(text.replace('"macro', f'"{grid_folder}/macro').replace('"quotes_', f'"{grid_folder}/quotes_'))
    done = sweep(grid)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert message in line, line
    assert not (tmp_path / "out" / "cells").exists()


def test_a_scheduler_that_does_not_answer_is_one_line(grid_folder):
    done = sweep(grid_folder / "grid.toml", "--scheduler", f"tcp://127.0.0.1:{free_port()}")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "the Dask scheduler at tcp://127.0.0.1:" in line and "does not answer" in line, line


def test_core_overrides_are_an_axis_and_each_cell_s_core_config(grid_folder, tmp_path):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID.replace('"macro', f'"{grid_folder}/macro').replace('"quotes_', f'"{grid_folder}/quotes_')
                    + '[core]\n"decision.threshold" = [0.55, 0.65]\n')
    cells = read_grid(grid).cells
    assert len(cells) == 8 and [c.core for c in cells[:2]] == [{"decision": {"threshold": 0.55}}, {"decision": {"threshold": 0.65}}]
    assert json.loads(core_file(tmp_path / "out", cells[1]).read_text()) == {"decision": {"threshold": 0.65}}
    assert cells[1].words().endswith("core.decision.threshold=0.65")


def test_a_core_override_out_of_its_range_is_refused_for_its_cell(grid_folder, tmp_path):
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID.replace('"macro', f'"{grid_folder}/macro').replace('"quotes_', f'"{grid_folder}/quotes_')
                    + '[core]\n"decision.threshold" = [0.4]\n')
    done = sweep(grid)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "cell-000 (" in line and "core.decision.threshold=0.4" in line and "threshold" in line.split("):", 1)[1], line


def test_a_cell_s_settled_differences_are_judged_as_its_run_judged_them(tmp_path):
    """From the cell's metrics.json: a return gap that excludes zero beyond its threshold favours the
    column nearer the ideal (lower is better); one inside its threshold, or of a figure no category
    scores, settles nothing."""
    def difference(figure, category, values, threshold):
        return dict(figure=figure, category=category, unit="bps", lower_is_better=True, first="nautilus", second="hummingbot",
                    values=values, low=values[0] - values[1] - 1, high=values[0] - values[1] + 1, threshold=threshold,
                    level=0.95, units=[40, 40], resampling="paired", min_units=30, block=None, judgement="ignored")
    verdict = {"recommended": "hummingbot", "overall": {"nautilus": 7.4, "hummingbot": 8.5}, "differences": [
        difference("return_gap", "trading_results", [69.4, 0.0], 0.25),
        difference("latency_cost", "latency", [1.5, 0.0], 2.0),
        difference("p99_fill_processing", None, [9.0, 4.0], 0.0),
    ]}
    (tmp_path / "cells" / "cell-000" / "r1").mkdir(parents=True)
    (tmp_path / "cells" / "cell-000" / "r1" / "metrics.json").write_text(json.dumps({"verdict": verdict}))
    state = CellState("cell-000", "k", "done", (("instrument", "BTCUSDT"),), "r1", 0, "", 1.0, "w")
    result = cell_result(tmp_path, state)
    assert result.settled == (("return_gap", "hummingbot"),) and result.recommended == "hummingbot"
