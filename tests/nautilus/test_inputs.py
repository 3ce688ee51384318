"""Bad input reaches the user as one clear line, before any engine starts; mid-file, nothing is lost."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from shared_signals.contract.journal import EVENTS_JSONL, EVENTS_PARQUET
from poc_nautilus import app
from shared_signals.errors import InputError
from tests.nautilus.conftest import hand_quotes, journal, kinds, options, write_inputs

BAD_ROW = 20
"""A NaN at this quote row (1-based), after a few trades of the hand-made inputs."""


def poc_eval(*args):
    return subprocess.run([sys.executable, "-m", "evaluator.cli", *args], capture_output=True, text=True, timeout=120)


def test_missing_signal_file_is_refused_before_the_engine(tmp_path, hand_inputs):
    missing = hand_inputs.__class__(hand_inputs.quotes, tmp_path / "nope.parquet")
    with pytest.raises(InputError, match="file not found"):
        app.run(options(missing, tmp_path / "run"))
    assert not (tmp_path / "run" / "nautilus" / EVENTS_JSONL).exists()


def test_quote_file_without_a_column_is_refused_before_the_engine(tmp_path, hand_inputs):
    quotes = tmp_path / "quotes.parquet"
    hand_quotes().drop(columns=["ask_size"]).to_parquet(quotes, index=False)
    with pytest.raises(InputError, match="column 'ask_size'"):
        app.run(options(hand_inputs.__class__(quotes, hand_inputs.signals), tmp_path / "run"))
    assert not (tmp_path / "run" / "nautilus" / EVENTS_JSONL).exists()


def test_instrument_not_available_offline(tmp_path, hand_inputs):
    with pytest.raises(InputError, match="not available offline"):
        app.run(options(hand_inputs, tmp_path / "run", instrument="BTC-EUR"))


def test_a_run_restarted_in_the_same_folder_continues_the_journal(tmp_path, hand_inputs):
    app.run(options(hand_inputs, tmp_path / "run"))
    first = len(journal(tmp_path / "run"))
    app.run(options(hand_inputs, tmp_path / "run"))
    events = journal(tmp_path / "run")
    assert len(events) == 2 * first and list(events["seq"]) == list(range(1, 2 * first + 1))


@pytest.mark.parametrize("mode", ["replay", "live"])
def test_a_bad_row_mid_file_leaves_a_readable_journal(tmp_path, hand_inputs, monkeypatch, mode):
    quotes = hand_quotes()
    quotes.loc[BAD_ROW - 1, "bid_price"] = np.nan
    inputs = write_inputs(tmp_path / "bad", quotes, pd.read_parquet(hand_inputs.signals))
    monkeypatch.setattr("poc_nautilus.app.QUOTE_BATCH_ROWS", 8)
    monkeypatch.setattr("poc_nautilus.live.LIVE_BATCH_ROWS", 8)
    with pytest.raises(InputError, match=f"row {BAD_ROW}.*NaN"):
        app.run(options(inputs, tmp_path / "run", mode=mode))
    events = journal(tmp_path / "run")
    assert kinds(events, "error")["reason"].str.contains(f"row {BAD_ROW}").all()
    assert len(kinds(events, "error")) == 1 and len(kinds(events, "order_filled")) >= 2
    assert (tmp_path / "run" / "nautilus" / EVENTS_PARQUET).exists()


def test_cli_replay_end_to_end(tmp_path, hand_inputs):
    result = poc_eval(
        "run", "--platform", "nautilus", "--mode", "replay",
        "--quotes", str(hand_inputs.quotes), "--signals", str(hand_inputs.signals), "--out", str(tmp_path / "run"),
        "--tolerance", "5m",  # hand-made signals have no single bar
    )
    assert result.returncode == 0, result.stderr
    assert "nautilus replay run" in result.stdout and result.stderr.strip() == ""
    events = journal(tmp_path / "run")
    assert len(kinds(events, "order_filled")) == 3


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, hand_inputs):
    signals = tmp_path / "signals.csv"
    signals.write_text("datetime,q10,q50,q90\n2025-01-06 00:00:05,0.05,0.01,0.03\n")
    result = poc_eval(
        "run", "--platform", "nautilus", "--mode", "replay",
        "--quotes", str(hand_inputs.quotes), "--signals", str(signals), "--out", str(tmp_path / "run"),
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1
    assert "q10 > q50" in lines[0] and str(signals) in lines[0] and "Traceback" not in result.stderr


def test_a_folder_that_holds_a_run_is_refused_and_left_as_it_was(tmp_path, hand_inputs):
    args = ("run", "--platform", "nautilus", "--quotes", str(hand_inputs.quotes), "--signals", str(hand_inputs.signals),
            "--out", str(tmp_path / "run"), "--tolerance", "5m")
    assert poc_eval(*args).returncode == 0
    journal_file = tmp_path / "run" / "nautilus" / "events.jsonl"
    before = journal_file.read_bytes()
    again = poc_eval(*args)
    lines = [line for line in again.stderr.splitlines() if line.strip()]
    assert again.returncode == 2 and len(lines) == 1 and "already holds a run" in lines[0] and "Traceback" not in again.stderr
    assert journal_file.read_bytes() == before  # nothing appended to the first run's journal
