"""The error table: bad files, flags, settings and run folders a user could plausibly give. Each is
refused with exit status 2 and one line on stderr that names what is wrong and where, with no
traceback, and nothing trades: no journal in the output folder holds an ``order_submitted``.

Every case goes through every command that takes it (``run`` on each platform, ``run-both``,
``validate``): one validation layer, so one refusal, whichever command the user typed."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluator.cli import main
from shared_signals.contract.record import RUN_RECORD_VERSION
from shared_signals.demo import DemoParams, write_demo

CSV_HEAD = "datetime,q10,q50,q90\n"
GOOD_ROW = "2025-01-06 00:05,-0.01,0.01,0.03\n"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-inputs")
    write_demo(folder, DemoParams(hours=72.0, quote_interval_s=900, bar_minutes=60, seed=3))
    return folder


def write(folder: Path, name: str, content) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content)
    elif isinstance(content, pd.DataFrame) and name.endswith(".parquet"):
        content.to_parquet(path)
    elif isinstance(content, pd.DataFrame) and name.endswith(".csv"):
        content.to_csv(path, index=False)
    else:
        path.write_bytes(pickle.dumps(content))
    return path


def signals_frame(data: Path) -> pd.DataFrame:
    return pd.read_parquet(data / "signals.parquet")


def quotes_frame(data: Path) -> pd.DataFrame:
    return pd.read_parquet(data / "quotes.parquet")


def edited_quotes(change):
    """The good quote file with ``change(frame)`` (in place) applied."""

    def make(data: Path, tmp: Path) -> Path:
        frame = quotes_frame(data)
        change(frame)
        return write(tmp, "quotes.parquet", frame)
    return make


def edited_signals(change):
    """The good signal file with ``change(frame)`` (which returns the new frame) applied."""
    return lambda data, tmp: write(tmp, "signals.parquet", change(signals_frame(data)))


def signals_text(text: str, name: str = "signals.csv"):
    return lambda data, tmp: write(tmp, name, text)


def core(settings: dict):
    return lambda tmp: ["--core-config", str(write(tmp, "core.json", json.dumps(settings)))]


# case: (signals maker or None for the good file, quotes maker or None, extra flags maker or list, expected words)
CASES: dict[str, tuple] = {
    # signal files
    "missing signal file": (lambda d, t: t / "nope.parquet", None, [], "file not found"),
    "signal file is a folder": (lambda d, t: t, None, [], "is a folder"),
    "empty signal file": (signals_text(""), None, [], "file is empty"),
    "unsupported suffix": (signals_text(CSV_HEAD + GOOD_ROW, "signals.txt"), None, [], "unsupported file type"),
    "garbage parquet": (lambda d, t: write(t, "s.parquet", b"\x00\xffPAR not parquet"), None, [], "cannot read parquet"),
    "garbage pickle": (lambda d, t: write(t, "s.pkl", b"\x80\x04not a pickle"), None, [], "cannot read pkl"),
    "pickle of a list": (lambda d, t: write(t, "s.pkl", [1, 2, 3]), None, [], "expected a table"),
    "no q90 column": (signals_text("datetime,q10,q50\n2025-01-06 00:05,-0.01,0.01\n"), None, [], "column 'q90'"),
    "NaN in q10": (signals_text(CSV_HEAD + "2025-01-06 00:05,,0.01,0.03\n"), None, [], "NaN"),
    "text in q50": (signals_text(CSV_HEAD + "2025-01-06 00:05,-0.01,abc,0.03\n"), None, [], "not a finite number"),
    "infinity in q90": (signals_text(CSV_HEAD + "2025-01-06 00:05,-0.01,0.01,inf\n"), None, [], "column 'q90'"),
    "q10 above q50": (signals_text(CSV_HEAD + "2025-01-06 00:05,0.05,0.01,0.03\n"), None, [], "q10 > q50"),
    "q50 above q90": (signals_text(CSV_HEAD + "2025-01-06 00:05,-0.01,0.05,0.03\n"), None, [], "q50 > q90"),
    "prob_up above one": (signals_text("datetime,q10,q50,q90,prob_up\n2025-01-06 00:05,-0.01,0.01,0.03,1.5\n"), None, [], "prob_up"),
    "side of 7": (signals_text("datetime,q10,q50,q90,side\n2025-01-06 00:05,-0.01,0.01,0.03,7\n"), None, [], "side must be"),
    "duplicate times": (signals_text(CSV_HEAD + GOOD_ROW * 2), None, [], "duplicate"),
    "timezone mix-up": (signals_text(CSV_HEAD + "2025-01-06T00:05:00Z,-0.01,0.01,0.03\n2025-01-06 01:05,-0.01,0.01,0.03\n"), None, [], "timezone mix-up"),
    "not a time": (signals_text(CSV_HEAD + "soon,-0.01,0.01,0.03\n"), None, [], "not a time"),
    "year 2300": (signals_text(CSV_HEAD + "2300-01-06 00:05,-0.01,0.01,0.03\n"), None, [], "1677-2262"),
    "semicolons and decimal commas": (signals_text("datetime;q10;q50;q90\n2025-01-06 00:05;-0,01;0,01;0,03\n"), None, [], "semicolon-separated"),
    "quantiles of 1e300": (signals_text(CSV_HEAD + "2025-01-06 00:05,1e300,1e300,1e300\n"), None, [], "not a plausible return"),
    "percent instead of fraction": (signals_text(CSV_HEAD + "2025-01-06 00:05,-12,1.5,30\n"), None, [], "max_abs_quantile"),
    "zero spread": (edited_signals(lambda f: f.assign(q10=f["q50"], q90=f["q50"])), None, [], "no spread"),
    "instrument column empty": (edited_signals(lambda f: f.assign(instrument=None)), None, [], "instrument column is empty on every row"),
    "instrument missing on a row": (edited_signals(lambda f: f.assign(instrument=f["instrument"].where(f.index != 3))), None, [], "no instrument on this row"),
    "None among aware times": (lambda d, t: write(t, "s.pkl", signals_frame(d).assign(
        datetime=pd.Series([*signals_frame(d)["datetime"].iloc[:2], None, *signals_frame(d)["datetime"].iloc[3:]], dtype=object))),
        None, [], "no time on this row"),
    "no time column": (signals_text("when,q10,q50,q90\nx,-0.01,0.01,0.03\n"), None, [], "no time"),
    "two instruments, none named": (edited_signals(lambda f: pd.concat([f, f.assign(instrument="ETHUSDT")])), None, [], "choose one with --instrument"),
    "unknown instrument named": (None, None, ["--instrument", "DOGEUSDT"], "DOGEUSDT"),
    "instrument with no offline venue": (None, None, ["--instrument", "BTC-EUR"], "BTC-EUR"),
    "signals a month after the quotes": (edited_signals(lambda f: f.assign(datetime=f["datetime"] + pd.Timedelta(days=30))), None, [], "no signal is in force"),
    "signals in 1970": (edited_signals(lambda f: f.assign(datetime=pd.to_datetime(np.arange(len(f)) * 3600, unit="s", utc=True))), None, [], "no signal is in force"),
    "instrument only Hummingbot can run": (edited_signals(lambda f: f.drop(columns=["instrument"])), None, ["--instrument", "BTC-EUR"],
                                           "not available offline for NautilusTrader"),
    "irregular signal times": (edited_signals(lambda f: f.assign(datetime=f["datetime"] + pd.to_timedelta((f.index % 7) * 61, unit="s"))), None, [], "too irregular"),
    # quote files
    "missing quote file": (None, lambda d, t: t / "nope.parquet", [], "file not found"),
    "quotes without ask_size": (None, lambda d, t: write(t, "q.parquet", quotes_frame(d).drop(columns=["ask_size"])), [], "ask_size"),
    "NaN bid": (None, edited_quotes(lambda f: f.__setitem__("bid_price", f["bid_price"].where(f.index != 5))), [], "NaN"),
    "negative ask": (None, edited_quotes(lambda f: f.__setitem__("ask_price", f["ask_price"].where(f.index != 5, -1.0))), [], "positive number"),
    "crossed quote": (None, edited_quotes(lambda f: f.__setitem__("bid_price", f["bid_price"].where(f.index != 5, 1e6))), [], "crossed quote"),
    "price beyond any platform": (None, edited_quotes(lambda f: f.__setitem__("ask_price", f["ask_price"].where(f.index != 5, 1e12))), [], "up to 1e+09"),
    "quotes out of order": (None, edited_quotes(lambda f: f.__setitem__("timestamp", f["timestamp"].iloc[::-1].to_numpy())), [], "not sorted"),
    "quote file is csv named parquet": (None, lambda d, t: write(t, "q.parquet", "timestamp,bid_price\n1,2\n"), [], "q.parquet"),
    "quote file is empty": (None, lambda d, t: write(t, "q.parquet", b""), [], "q.parquet"),
    # flags
    "starting quote negative": (None, None, ["--starting-quote", "-1"], "starting_quote = -1.0"),
    "starting quote zero": (None, None, ["--starting-quote", "0"], "starting_quote = 0.0"),
    "starting base negative": (None, None, ["--starting-base", "-1"], "starting_base = -1.0"),
    "limit offset of 50%": (None, None, ["--limit-offset", "0.5"], "limit_offset = 0.5"),
    "limit offset negative": (None, None, ["--limit-offset", "-0.01"], "limit_offset"),
    "starting quote not a number": (None, None, ["--starting-quote", "nan"], "starting_quote = nan"),
    "starting quote infinite": (None, None, ["--starting-quote", "inf"], "starting_quote = inf"),
    "starting base beyond any venue": (None, None, ["--starting-base", "1e300"], "starting_base = 1e+300"),
    "speed negative": (None, None, ["--speed", "-1"], "argument --speed"),
    "speed zero": (None, None, ["--speed", "0"], "argument --speed"),
    "speed not a number": (None, None, ["--speed", "nan"], "RunSpec.speed = nan"),
    "duration of nothing": (None, None, ["--duration", "0s"], "argument --duration"),
    "tolerance negative": (None, None, ["--tolerance", "-5m"], "argument --tolerance"),
    "tick size of nothing": (None, None, ["--tick-size", "0ms"],
                             "HummingbotConfig.tick_size_s = 0.0 is out of range: must be a number >= 0.1 and <= 60"),
    "tick size below Hummingbot's minimum": (None, None, ["--tick-size", "50ms"],
                                             "HummingbotConfig.tick_size_s = 0.05 is out of range: must be a number >= 0.1 and <= 60"),
    "transport pigeon": (None, None, ["--transport", "pigeon"], "--transport: transport='pigeon': expected one of file, mqtt"),
    "limit timeout of nothing": (None, None, ["--limit-timeout", "0s"], "HummingbotConfig.limit_timeout_s = 0.0 is out of range: must be a number > 0"),
    "mode banana": (None, None, ["--mode", "banana"], "argument --mode: invalid choice"),
    "decision rule flag banana": (None, None, ["--decision-rule", "banana"], "argument --decision-rule: invalid choice"),
    "duplicates flag sometimes": (None, None, ["--duplicates", "sometimes"], "argument --duplicates: invalid choice"),
    "misspelt option": (None, None, ["--singals", "s.csv"], "unrecognized arguments: --singals"),
    "fee of 5%": (None, None, ["--fee-bps", "500"], "VenueSpec.fee_bps = 500.0"),
    "venue model exotic": (None, None, ["--venue-model", "exotic"], "argument --venue-model: invalid choice"),
    "signal delay beyond the tolerance": (None, None, ["--signal-delay", "2h"], "RunSpec.signal_delay_ns = 7200000000000"),
    "a fill delay Nautilus cannot give live": (None, None, ["--mode", "live", "--fill-delay", "2s"], "runs in replay only"),
    "out is a file": (None, None, lambda t: ["--out", str(write(t, "afile", "x"))], "cannot write the run folder"),
    "hummingbot config unknown key": (None, None, lambda t: ["--hummingbot-config", str(write(t, "hb.json", '{"tick": 1}'))], "unknown HummingbotConfig settings: tick"),
    "hummingbot config bad qos": (None, None, lambda t: ["--hummingbot-config", str(write(t, "hb.json", '{"mqtt": {"qos": 5}}'))], "MqttConfig.qos"),
    "hummingbot config not JSON": (None, None, lambda t: ["--hummingbot-config", str(write(t, "hb.json", "{nope"))], "not a hummingbot configuration"),
    # the signal-core configuration
    "core config missing": (None, None, lambda t: ["--core-config", str(t / "none.json")], "file not found"),
    "core config is a folder": (None, None, lambda t: ["--core-config", str(t)], "not a signal-core configuration"),
    "core config not JSON": (None, None, lambda t: ["--core-config", str(write(t, "c.json", "{nope"))], "not a signal-core configuration"),
    "core config is a list": (None, None, lambda t: ["--core-config", str(write(t, "c.json", "[1]"))], "expected a JSON object"),
    "threshold of 5": (None, None, core({"decision": {"threshold": 5}}), "DecisionParams.threshold = 5"),
    "threshold of -1": (None, None, core({"decision": {"threshold": -1}}), "DecisionParams.threshold = -1"),
    "threshold of one half": (None, None, core({"decision": {"threshold": 0.5}}), "must be a number > 0.5 and < 1"),
    "threshold as text": (None, None, core({"decision": {"threshold": "0.7"}}), "DecisionParams.threshold = '0.7'"),
    "decision rule banana": (None, None, core({"decision": {"rule": "banana"}}), "DecisionParams.rule = 'banana'"),
    "negative position cap": (None, None, core({"risk": {"max_position_qty": -1}}), "RiskLimits.max_position_qty = -1"),
    "quote age over a week": (None, None, core({"risk": {"max_quote_age_s": 700_000}}), "RiskLimits.max_quote_age_s = 700000"),
    "quote-age flag over a week": (None, None, ["--max-quote-age", "8d"], "RiskLimits.max_quote_age_s = 691200.0"),
    "quote-age flag not a duration": (None, None, ["--max-quote-age", "soon"], "argument --max-quote-age"),
    "no orders per minute": (None, None, core({"risk": {"max_orders_per_minute": 0}}), "RiskLimits.max_orders_per_minute = 0"),
    "negative sizing fraction": (None, None, core({"decision": {"sizing": {"base_fraction": -0.1}}}), "SizingParams.base_fraction = -0.1"),
    "zero capital": (None, None, core({"decision": {"sizing": {"capital": 0}}}), "SizingParams.capital = 0"),
    "infinite capital": (None, None, lambda t: ["--core-config", str(write(t, "c.json", '{"decision": {"sizing": {"capital": Infinity}}}'))],
                         "SizingParams.capital = inf"),
    "nine vol deciles": (None, None, core({"decision": {"sizing": {"vol_decile_multipliers": [1] * 9}}}), "needs 10 values"),
    "regime cuts backwards": (None, None, core({"regime": {"vol_thresholds": [0.6, 0.3, 0.1]}}), "three increasing numbers"),
    "duplicates sometimes": (None, None, core({"loader": {"duplicates": "sometimes"}}), "LoaderParams.duplicates = 'sometimes'"),
    "negative tolerance": (None, None, core({"loader": {"tolerance_ns": -5}}), "LoaderParams.tolerance_ns = -5"),
    "unknown setting": (None, None, core({"decision": {"treshold": 0.7}}), "unknown DecisionParams settings: treshold"),
    "section not a table": (None, None, core({"risk": 5}), "RiskLimits must be a table"),
    "tolerance as text": (None, None, core({"loader": {"tolerance_ns": "5m"}}), "LoaderParams.tolerance_ns = '5m'"),
    "negative spread floor": (None, None, core({"loader": {"min_spread": -0.1}}), "LoaderParams.min_spread = -0.1"),
    "no quantile accepted": (None, None, core({"loader": {"max_abs_quantile": 0}}), "LoaderParams.max_abs_quantile = 0"),
    "bar fit share above one": (None, None, core({"loader": {"bar_fit_share": 2}}), "LoaderParams.bar_fit_share = 2"),
    "qty decimals of 40": (None, None, core({"decision": {"sizing": {"qty_decimals": 40}}}), "SizingParams.qty_decimals = 40"),
    "target pct bounds crossed": (None, None, core({"probability": {"target_pct_min": 0.05, "target_pct_max": 0.01}}), "below target_pct_min"),
}


def run_cli(argv: list[str], capsys) -> tuple[int, list[str]]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, [line for line in captured.err.splitlines() if line.strip()]


def no_order_anywhere(folder: Path) -> bool:
    return not any('"order_submitted"' in path.read_text() for path in folder.rglob("events.jsonl"))


COMMANDS = {
    "run nautilus": ["run", "--platform", "nautilus"],
    "run hummingbot": ["run", "--platform", "hummingbot"],
    "run-both": ["run-both"],
    "soak": ["soak", "--duration", "1m"],
    "compare-transports": ["compare-transports"],
    "validate": ["validate"],
}
"""Each command that takes a run's inputs; ``validate`` writes nothing, so it takes no ``--out``."""
NOT_FOR = {
    "instrument only Hummingbot can run": {"run hummingbot", "compare-transports"},
    "a fill delay Nautilus cannot give live": {"run hummingbot", "compare-transports"},
    "out is a file": {"validate"},
}
"""Cases a command does not take: Hummingbot alone can run BTC-EUR or a live fill delay; validate has no --out."""


@pytest.mark.parametrize(("case", "command"), [(case, command) for case in CASES for command in COMMANDS
                                               if command not in NOT_FOR.get(case, ())])
def test_bad_input_is_exit_2_one_line_and_no_trade(case, command, data, tmp_path, capsys):
    make_signals, make_quotes, flags, expected = CASES[case]
    signals = make_signals(data, tmp_path) if make_signals else data / "signals.parquet"
    quotes = make_quotes(data, tmp_path) if make_quotes else data / "quotes.parquet"
    extra = flags(tmp_path) if callable(flags) else list(flags)
    out = ["--out", str(tmp_path / "run")] if "--out" not in extra and command != "validate" else []
    argv = [*COMMANDS[command], "--quotes", str(quotes), "--signals", str(signals), *out, *extra]
    code, lines = run_cli(argv, capsys)
    assert code == 2, lines
    assert len(lines) == 1 and lines[0].startswith("error:"), lines
    assert expected in lines[0], lines[0]
    assert "Traceback" not in lines[0]
    assert no_order_anywhere(tmp_path)


SCALE_TAKES_NO = ("--instrument", "--singals")
"""``scale`` runs on its own demo data: it takes the settings cases, not the files or ``--instrument``."""


def settings_only(case: str) -> bool:
    make_signals, make_quotes, flags, _ = CASES[case]
    return make_signals is None and make_quotes is None and not (isinstance(flags, list) and set(flags) & set(SCALE_TAKES_NO))


@pytest.mark.parametrize("case", [case for case in CASES if settings_only(case)])
def test_scale_refuses_a_bad_setting_as_a_run_does(case, tmp_path, capsys):
    _, _, flags, expected = CASES[case]
    extra = flags(tmp_path) if callable(flags) else list(flags)
    out = ["--out", str(tmp_path / "reports")] if "--out" not in extra else []
    code, lines = run_cli(["scale", "--instruments", "BTCUSDT", "--hours", "1", *out, *extra], capsys)
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), lines
    assert expected in lines[0], lines[0]
    assert no_order_anywhere(tmp_path)


def test_the_table_is_long_enough():
    assert len(CASES) + len(RUN_FOLDER_CASES) >= 60


RUN_FOLDER_CASES = {
    "report of a missing folder": (lambda t: t / "nope", "not a run folder"),
    "report of a folder that is no run": (lambda t: t, "not a run folder"),
    "report of a folder whose inputs.json is garbage": (lambda t: write(t, "inputs.json", "{torn").parent, "not a run folder"),
    "report of a folder whose inputs.json has no spec": (
        lambda t: write(t, "inputs.json", json.dumps({"schema_version": RUN_RECORD_VERSION, "run_id": "x"})).parent,
        "missing required field `spec`"),
    "report of a folder of another version": (lambda t: write(t, "inputs.json", '{"run_id": "x"}').parent, "a run folder of another version"),
}


@pytest.mark.parametrize("case", RUN_FOLDER_CASES)
def test_a_run_folder_that_is_not_one_is_exit_2_and_one_line(case, tmp_path, capsys):
    make, expected = RUN_FOLDER_CASES[case]
    code, lines = run_cli(["report", str(make(tmp_path))], capsys)
    assert code == 2 and len(lines) == 1 and expected in lines[0], lines
