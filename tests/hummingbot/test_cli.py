"""The Hummingbot run and the provider as a user meets them on the command line."""

from __future__ import annotations

import json
import subprocess
import sys

from shared_signals.contract.journal import read_journal
from poc_hummingbot.config import PROVIDER_DIR


def poc_eval(*args):
    return subprocess.run([sys.executable, "-m", "evaluator.cli", *args], capture_output=True, text=True, timeout=120)


def test_replay_run_from_the_command_line(tmp_path, handmade):
    quotes, signals = handmade
    result = poc_eval("run", "--platform", "hummingbot", "--mode", "replay", "--quotes", str(quotes),
                      "--signals", str(signals), "--out", str(tmp_path), "--tolerance", "5m")  # hand-made: no single bar
    assert result.returncode == 0, result.stderr
    assert "hummingbot replay run" in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.strip() == ""  # Hummingbot's own logging stays out of the way
    events = read_journal(tmp_path / "hummingbot").events
    assert (events["kind"] == "order_filled").sum() == 3
    assert (read_journal(tmp_path / "hummingbot" / PROVIDER_DIR).events["kind"] == "signal_published").sum() == 3


def test_bad_input_is_one_line_and_exit_2(tmp_path, handmade):
    _, signals = handmade
    missing = tmp_path / "nope.parquet"
    result = poc_eval("run", "--platform", "hummingbot", "--quotes", str(missing), "--signals", str(signals),
                      "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "file not found" in lines[0] and "Traceback" not in result.stderr


def test_provider_help_explains_its_options():
    result = poc_eval("provider", "--help")
    assert result.returncode == 0
    for option in ("--signals", "--out", "--speed", "--start", "--end", "--anchor-wall-ns", "--tolerance"):
        assert option in result.stdout


def test_limit_orders_from_the_command_line(tmp_path, handmade):
    quotes, signals = handmade
    result = poc_eval("run", "--platform", "hummingbot", "--quotes", str(quotes), "--signals", str(signals), "--out",
                      str(tmp_path), "--tolerance", "5m", "--order-type", "limit", "--limit-offset", "0.002", "--limit-timeout", "30s")
    assert result.returncode == 0, result.stderr
    spec = json.loads((tmp_path / "hummingbot" / "spec.json").read_text())
    assert (spec["platform"], spec["column"]) == ("hummingbot", "hummingbot")
    settings = spec["settings"]
    assert (settings["order_type"], settings["limit_offset"], settings["limit_timeout_s"]) == ("limit", 0.002, 30.0)
    events = read_journal(tmp_path / "hummingbot").events
    submitted = events[events["kind"] == "order_submitted"]
    assert len(submitted) == 3 and (events["kind"] == "order_filled").sum() == 3


def test_a_hummingbot_setting_out_of_range_is_one_line_and_exit_2(tmp_path, handmade):
    quotes, signals = handmade
    result = poc_eval("run", "--platform", "hummingbot", "--quotes", str(quotes), "--signals", str(signals), "--out",
                      str(tmp_path / "run"), "--tolerance", "5m", "--limit-offset", "0.5")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr
    assert "HummingbotConfig.limit_offset = 0.5 is out of range: must be a number >= 0 and < 0.1" in lines[0]
    assert not (tmp_path / "run").exists()
