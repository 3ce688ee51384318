"""The CLI as a user meets it: one error line, non-zero exit, no traceback."""

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from shared_signals.durations import parse_duration_ns


def poc_eval(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "evaluator.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env=None if env is None else {**os.environ, **env})


def test_demo_data_then_validate(tmp_path):
    made = poc_eval("demo-data", "--out", str(tmp_path), "--hours", "1", "--seed", "2")
    assert made.returncode == 0, made.stderr
    checked = poc_eval("validate", "--signals", str(tmp_path / "signals.parquet"), "--quotes", str(tmp_path / "quotes.parquet"),
                       "--starting-quote", "5000")
    assert checked.returncode == 0, checked.stderr
    assert "3,600" in checked.stdout
    assert "6 of 6 signals are in force while there are quotes" in checked.stdout
    assert "nautilus, hummingbot can run BTCUSDT" in checked.stdout
    refused = poc_eval("validate", "--signals", str(tmp_path / "signals.parquet"), "--starting-quote", "0")
    assert refused.returncode == 2 and "RunSpec.starting_quote = 0.0" in refused.stderr  # settings are checked too


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"datetime,q10,q50,q90\n2025-01-06 00:05,0.05,0.01,0.03\n", "q10 > q50"),
        (b"datetime,q10,q50\n2025-01-06 00:05,0.01,0.02\n", "column 'q90'"),
        (b"datetime,q10,q50,q90\n2025-01-06 00:05,,0.01,0.03\n", "NaN"),
        (b"datetime,q10,q50,q90\n2025-01-06 00:05,1e300,1e300,1e300\n", "not a plausible return for one bar"),
        (b"datetime,q10,q50,q90\n2025-01-06 00:05,-0.01,0.02,0.03\n2025-01-06 00:10,0.01,0.01,0.01\n", "is no spread"),
        (b"datetime,q10,q50,q90\n2025-01-06 00:05,-12,1.5,30\n", "raise loader.max_abs_quantile"),
    ],
)
def test_bad_signal_file_is_one_line_and_exit_2(tmp_path, content, expected):
    path = tmp_path / "signals.csv"
    path.write_bytes(content)
    result = poc_eval("validate", "--signals", str(path))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_quote_file_and_unknown_instrument(tmp_path):
    quotes = tmp_path / "quotes.parquet"
    pd.DataFrame({"timestamp": pd.date_range("2025-01-06", periods=2, freq="1s"), "bid_price": [1.0, 1.0]}).to_parquet(quotes)
    result = poc_eval("validate", "--quotes", str(quotes))
    assert result.returncode == 2 and "missing required column" in result.stderr and "Traceback" not in result.stderr
    signals = tmp_path / "s.csv"
    signals.write_text("datetime,instrument,q10,q50,q90\n2025-01-06 00:05,BTCUSDT,-0.01,0.0,0.01\n")
    result = poc_eval("validate", "--signals", str(signals), "--instrument", "DOGEUSDT")
    assert result.returncode == 2 and "unknown instrument 'DOGEUSDT'" in result.stderr


def test_help_explains_every_option():
    result = poc_eval("validate", "--help")
    assert result.returncode == 0
    for option in ("--signals", "--quotes", "--instrument", "--duplicates", "--tolerance"):
        assert option in result.stdout


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("5m", 300), ("1h", 3600), ("24h", 86400), ("1h30m", 5400), ("45", 45)])
def test_durations(text, seconds):
    assert parse_duration_ns(text) == seconds * 1_000_000_000


@pytest.mark.parametrize("text", ["", "soon", "-5m", "0s"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="not a positive duration"):
        parse_duration_ns(text)


def test_compare_transports_does_not_take_a_transport_it_would_ignore(tmp_path):
    """compare-transports sets each column's transport itself: a ``--transport`` (now a Hummingbot flag
    every platform-running command has) would be overridden by both columns, so it is refused in one
    line that names it, before anything (the broker check included) runs."""
    result = poc_eval("compare-transports", "--transport", "mqtt", "--out", str(tmp_path / "reports"),
                      env={"Q50_MQTT_DIR": str(tmp_path / "no-broker")})
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "--transport" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "reports").exists()


def test_demo_data_like_a_users_is_seeded_and_byte_identical(tmp_path):
    runs = []
    for name in ("a", "b"):
        made = poc_eval("demo-data", "--out", str(tmp_path / name), "--quote-interval", "15m", "--bar", "1h", "--length", "30d")
        assert made.returncode == 0, made.stderr
        runs.append([(tmp_path / name / f).read_bytes() for f in ("quotes.parquet", "signals.parquet")])
    assert runs[0] == runs[1]
    quotes = pd.read_parquet(tmp_path / "a" / "quotes.parquet")
    signals = pd.read_parquet(tmp_path / "a" / "signals.parquet")
    assert len(quotes) == 30 * 96 and set(quotes["timestamp"].diff().dropna()) == {pd.Timedelta(minutes=15)}
    assert set(signals["datetime"].diff().dropna()) == {pd.Timedelta(hours=1)}
    bad = poc_eval("demo-data", "--out", str(tmp_path / "c"), "--quote-interval", "2h", "--bar", "1h")
    assert bad.returncode == 2 and "shorter than the quote interval" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture(scope="module")
def hourly(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hourly")
    made = poc_eval("demo-data", "--out", str(folder), "--quote-interval", "15m", "--bar", "1h", "--length", "3d")
    assert made.returncode == 0, made.stderr
    return folder


def test_the_tolerance_is_the_signal_files_own_bar_unless_given(hourly, tmp_path):
    result = poc_eval("run", "--platform", "nautilus", "--quotes", str(hourly / "quotes.parquet"), "--signals",
                      str(hourly / "signals.parquet"), "--out", str(tmp_path / "derived"))
    assert result.returncode == 0, result.stderr
    spec = json.loads((tmp_path / "derived" / "nautilus" / "spec.json").read_text())
    assert spec["core"]["loader"]["tolerance_ns"] == 3600 * 10**9 and spec["tolerance_from"] == "signal_bar"
    given = poc_eval("run", "--platform", "nautilus", "--quotes", str(hourly / "quotes.parquet"), "--signals",
                     str(hourly / "signals.parquet"), "--out", str(tmp_path / "given"), "--tolerance", "90m")
    assert given.returncode == 0, given.stderr
    spec = json.loads((tmp_path / "given" / "nautilus" / "spec.json").read_text())
    assert spec["core"]["loader"]["tolerance_ns"] == 5400 * 10**9 and spec["tolerance_from"] == "flag"


def test_an_irregular_signal_file_needs_a_tolerance(hourly, tmp_path):
    signals = pd.read_parquet(hourly / "signals.parquet")
    jittered = signals.assign(datetime=signals["datetime"] + pd.to_timedelta((signals.index % 7) * 61, unit="s"))
    path = tmp_path / "irregular.parquet"
    jittered.to_parquet(path)
    result = poc_eval("run", "--platform", "nautilus", "--quotes", str(hourly / "quotes.parquet"), "--signals", str(path),
                      "--out", str(tmp_path / "run"))
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr
    assert str(path) in lines[0] and "too irregular for one bar" in lines[0] and "--tolerance" in lines[0]
    assert not (tmp_path / "run").exists()  # refused before any platform ran


def test_a_file_with_two_instruments_needs_one_named_for_a_run_as_for_validate(hourly, tmp_path):
    signals = pd.read_parquet(hourly / "signals.parquet")
    both = pd.concat([signals, signals.assign(instrument="ETHUSDT")], ignore_index=True)
    path = tmp_path / "two.parquet"
    both.to_parquet(path)
    run = ("run", "--platform", "nautilus", "--quotes", str(hourly / "quotes.parquet"), "--signals", str(path))
    refused = poc_eval(*run, "--out", str(tmp_path / "refused"))
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert refused.returncode == 2 and len(lines) == 1 and "choose one with --instrument" in lines[0]
    assert "column 'instrument'" in lines[0] and not (tmp_path / "refused").exists()
    chosen = poc_eval(*run, "--out", str(tmp_path / "chosen"), "--instrument", "BTC-USDT")
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads((tmp_path / "chosen" / "nautilus" / "spec.json").read_text())["instrument"] == "BTCUSDT"


def test_validate_with_nothing_to_check_is_exit_2():
    result = poc_eval("validate")
    assert result.returncode == 2 and "give --signals and/or --quotes" in result.stderr and "Traceback" not in result.stderr


def test_signals_that_never_meet_the_quotes_are_refused_and_a_partial_overlap_is_said(hourly, tmp_path):
    signals = pd.read_parquet(hourly / "signals.parquet")
    run = ("run", "--platform", "nautilus", "--quotes", str(hourly / "quotes.parquet"))
    later = tmp_path / "later.parquet"
    signals.assign(datetime=signals["datetime"] + pd.Timedelta(days=30)).to_parquet(later)
    refused = poc_eval(*run, "--signals", str(later), "--out", str(tmp_path / "none"))
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert refused.returncode == 2 and len(lines) == 1 and "no signal is in force while there are quotes" in lines[0]
    assert str(later) in lines[0] and not (tmp_path / "none").exists()
    half = tmp_path / "half.parquet"
    signals.assign(datetime=signals["datetime"] + pd.Timedelta(days=2)).to_parquet(half)
    partial = poc_eval(*run, "--signals", str(half), "--out", str(tmp_path / "partial"))
    assert partial.returncode == 0, partial.stderr
    assert "signals fall within the quotes' time span" in partial.stderr
