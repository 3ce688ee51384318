"""A core config whose exits are out of range is refused by the command line in one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from shared_signals.demo import DemoParams, write_demo


@pytest.mark.parametrize(
    ("exits", "expected"),
    [
        ({"stop_loss": 1.5}, "ExitParams.stop_loss = 1.5 is out of range: must be a number > 0 and < 1"),
        ({"take_profit": -0.01}, "ExitParams.take_profit = -0.01 is out of range"),
        ({"time_limit_s": "1h"}, "ExitParams.time_limit_s = '1h' is out of range"),
        ({"trailing_stop_delta": 0.01}, "trailing_stop_activation and trailing_stop_delta: give both or neither"),
        ({"stop_los": 0.1}, "unknown ExitParams settings: stop_los"),
        ({"trailing_stop_activation": 0.01, "trailing_stop_delta": 1.0}, "ExitParams.trailing_stop_delta = 1.0 is out of range: must be a number > 0 and < 1"),
        ({"stop_loss": 25, "scale_by_target_pct": True},
         "ExitParams.stop_loss = 25 (a multiple of target_pct) is out of range: at ProbabilityParams.target_pct_max = 0.05 it must be < 20"),
    ],
)
def test_bad_exits_are_one_line_and_exit_2(tmp_path, exits, expected):
    files = write_demo(tmp_path, DemoParams(hours=1.0, seed=3))
    config = tmp_path / "core.json"
    config.write_text(json.dumps({"exits": exits}))
    done = subprocess.run([sys.executable, "-m", "evaluator.cli", "validate", "--signals", str(files.signals),
                           "--core-config", str(config)], capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert expected in lines[0] and str(config) in lines[0]


def test_multiples_of_target_pct_may_exceed_one(tmp_path):
    """With ``scale_by_target_pct`` a stop loss of 1.5 is 1.5 x target_pct (at most 7.5% of the entry),
    not 150%: the fraction's range does not apply."""
    files = write_demo(tmp_path, DemoParams(hours=1.0, seed=3))
    config = tmp_path / "core.json"
    config.write_text(json.dumps({"exits": {"stop_loss": 1.5, "trailing_stop_activation": 2.0, "trailing_stop_delta": 1.0,
                                            "scale_by_target_pct": True}}))
    done = subprocess.run([sys.executable, "-m", "evaluator.cli", "validate", "--signals", str(files.signals),
                           "--core-config", str(config)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
