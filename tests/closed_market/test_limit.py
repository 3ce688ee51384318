"""The risk gate's quote-age limit: one spacing of the quote file unless the user sets it (the flag
over the core config file over the spacing), its source recorded, a bad value refused with one line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluator.cli import build_parser, main
from evaluator.commands.inputs import check_inputs
from shared_signals.demo import DemoParams, write_demo

HOURLY_WITH_GAPS = DemoParams(hours=96.0, seed=3, quote_interval_s=900, bar_minutes=60, gaps=True)


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("sparse"), HOURLY_WITH_GAPS)


def spacing_s(quotes: Path) -> float:
    """The quote file's own spacing, recomputed: the most common step between its rows."""
    times = pd.to_datetime(pd.read_parquet(quotes, columns=["timestamp"])["timestamp"], utc=True)
    return float(times.diff().dropna().mode().iloc[0].total_seconds())


def limit(files, *flags: str, quotes: bool = True) -> tuple[float, str]:
    args = build_parser().parse_args(["validate", *flags])
    spec = check_inputs(args, (files.quotes if quotes else None, files.signals), Path(), "t").spec
    return spec.core.risk.max_quote_age_s, spec.max_quote_age_from


def core_file(tmp_path: Path, seconds: float) -> str:
    path = tmp_path / "core.json"
    path.write_text(json.dumps({"risk": {"max_quote_age_s": seconds}}))
    return str(path)


def test_the_limit_is_one_spacing_of_the_quote_file(sparse, small_demo):
    assert spacing_s(sparse.quotes) == 900.0  # gaps and all
    assert limit(sparse) == (900.0, "quote_spacing")
    assert limit(small_demo) == (spacing_s(small_demo.quotes), "quote_spacing") == (1.0, "quote_spacing")
    assert limit(sparse, quotes=False) == (3600.0, "default")  # validate with no quote file: the documented hour


def test_the_flag_wins_over_the_core_config_which_wins_over_the_spacing(sparse, tmp_path):
    config = core_file(tmp_path, 600.0)
    assert limit(sparse, "--core-config", config) == (600.0, "config_file")
    assert limit(sparse, "--max-quote-age", "1h") == (3600.0, "flag")
    assert limit(sparse, "--max-quote-age", "90m", "--core-config", config) == (5400.0, "flag")


def refusal(argv: list[str], capsys) -> str:
    code = main(argv)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), lines
    return lines[0]


def test_a_limit_out_of_range_is_one_line_naming_where_it_came_from(sparse, tmp_path, capsys):
    files = ["--quotes", str(sparse.quotes), "--signals", str(sparse.signals)]
    line = refusal(["validate", *files, "--max-quote-age", "8d"], capsys)
    assert "RiskLimits.max_quote_age_s = 691200.0 is out of range" in line and "<= 604800" in line and "--max-quote-age" in line
    assert "argument --max-quote-age" in refusal(["validate", *files, "--max-quote-age", "soon"], capsys)
    weekly = tmp_path / "weekly.parquet"
    rows = pd.read_parquet(sparse.quotes).iloc[:3]
    rows.assign(timestamp=rows["timestamp"].iloc[0] + pd.to_timedelta(np.arange(3) * 8, unit="D")).to_parquet(weekly)
    line = refusal(["validate", "--quotes", str(weekly), "--signals", str(sparse.signals)], capsys)
    assert "RiskLimits.max_quote_age_s = 691200.0" in line and "one spacing of the quotes (192 h)" in line
    assert "give --max-quote-age" in line
    assert limit(type(sparse)(weekly, sparse.signals), "--max-quote-age", "1h") == (3600.0, "flag")  # the user's way out
