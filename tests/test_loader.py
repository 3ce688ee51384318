"""Signal loader: every supported shape, and every bad input as one clear error naming where."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shared_signals.config import LoaderParams
from shared_signals.errors import InputError
from shared_signals.loader import load_signals

TIMES = pd.date_range("2025-01-06 00:05", periods=4, freq="5min")
GOOD = {"q10": [-0.01, -0.02, -0.03, -0.01], "q50": [0.01, -0.005, 0.0, 0.002], "q90": [0.03, 0.01, 0.02, 0.01]}


def frame(**changes) -> pd.DataFrame:
    data = {**GOOD, **changes}
    return pd.DataFrame(data, index=pd.DatetimeIndex(TIMES, name="datetime"))


def write(tmp_path: Path, df: pd.DataFrame, suffix: str, index: bool = True) -> Path:
    path = tmp_path / f"signals{suffix}"
    if suffix == ".csv":
        df.to_csv(path, index=index)
    elif suffix == ".parquet":
        df.to_parquet(path, index=index)
    else:
        df.to_pickle(path)
    return path


@pytest.mark.parametrize("suffix", [".pkl", ".parquet", ".csv"])
def test_loads_each_format_and_derives_optional_columns(tmp_path, suffix):
    table = load_signals(write(tmp_path, frame(), suffix))
    assert len(table) == 4 and table.symbol == "BTCUSDT"
    assert str(table.frame.index.tz) == "UTC"
    assert table.frame["prob_up"].iloc[0] == pytest.approx(0.7)
    assert set(table.frame["side"]) <= {-1, 0, 1}
    for column in ("vol_risk", "tier_confidence", "fg_index", "vol_scaled", "signal_rel", "regime_volatility", "vol_decile"):
        assert column in table.frame


@pytest.mark.parametrize("order", [("instrument", "datetime"), ("datetime", "instrument")])
def test_qlib_multiindex_in_either_order_with_instrument_filter(tmp_path, order):
    parts = []
    for instrument, shift in (("BTCUSDT", 0.0), ("ETHUSDT", 0.001)):
        df = frame(q50=np.array(GOOD["q50"]) + shift).reset_index()
        df["instrument"] = instrument
        parts.append(df)
    multi = pd.concat(parts).set_index(list(order))
    path = write(tmp_path, multi, ".pkl")
    table = load_signals(path, instrument="ETH-USDT")
    assert table.symbol == "ETHUSDT"
    assert table.frame["q50"].iloc[0] == pytest.approx(0.011)
    with pytest.raises(InputError, match="choose one with --instrument"):
        load_signals(path)


def test_naive_times_are_utc_and_aware_times_are_converted(tmp_path):
    aware = frame()
    aware.index = TIMES.tz_localize("Europe/Berlin")
    table = load_signals(write(tmp_path, aware, ".parquet"))
    assert table.frame.index[0] == pd.Timestamp("2025-01-05 23:05", tz="UTC")
    naive = load_signals(write(tmp_path, frame(), ".pkl"))
    assert naive.frame.index[0] == pd.Timestamp("2025-01-06 00:05", tz="UTC")


def test_existing_optional_columns_are_kept(tmp_path):
    table = load_signals(write(tmp_path, frame(prob_up=[0.9, 0.1, 0.5, 0.5], side=[1, 0, -1, -1], extra=[1, 2, 3, 4]), ".pkl"))
    assert list(table.frame["prob_up"]) == [0.9, 0.1, 0.5, 0.5]
    assert "extra" in table.frame


def test_duplicate_policy_first_and_last(tmp_path):
    df = frame()
    df.index = pd.DatetimeIndex([TIMES[0], TIMES[1], TIMES[1], TIMES[2]], name="datetime")
    path = write(tmp_path, df, ".pkl")
    last = load_signals(path, loader_params=LoaderParams(duplicates="last"))
    first = load_signals(path, loader_params=LoaderParams(duplicates="first"))
    assert len(last) == len(first) == 3
    assert last.frame["q50"].iloc[1] == 0.0 and first.frame["q50"].iloc[1] == -0.005


def raw_file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


BAD_CASES = {
    "empty file": (lambda p: raw_file(p, "s.parquet", b""), "file is empty", None, None),
    "missing file": (lambda p: p / "nope.csv", "file not found", None, None),
    "corrupt parquet": (lambda p: raw_file(p, "s.parquet", b"PAR1 this is not parquet"), "cannot read parquet", None, None),
    "corrupt pickle": (lambda p: raw_file(p, "s.pkl", b"\x80\x04garbage"), "cannot read pkl", None, None),
    "wrong type": (lambda p: raw_file(p, "s.txt", b"x"), "unsupported file type", None, None),
    "header only": (lambda p: raw_file(p, "s.csv", b"datetime,q10,q50,q90\n"), "no rows", None, None),
    "missing column": (lambda p: write(p, frame().drop(columns=["q90"]), ".csv"), "missing required column", "q90", None),
    "NaN": (lambda p: write(p, frame(q50=[0.01, np.nan, 0.0, 0.002]), ".csv"), "NaN", "q50", 2),
    "text": (lambda p: write(p, frame(q10=["-0.01", "-0.02", "abc", "-0.01"]), ".csv"), "'abc'", "q10", 3),
    "q10 > q90": (lambda p: write(p, frame(q10=[-0.01, -0.02, 0.05, -0.01]), ".parquet"), "q10 > q50", "q10", 3),
    "q50 > q90": (lambda p: write(p, frame(q90=[0.03, 0.01, 0.02, 0.001]), ".parquet"), "q50 > q90", "q50", 4),
    "bad prob_up": (lambda p: write(p, frame(prob_up=[0.5, 1.5, 0.5, 0.5]), ".pkl"), "outside", "prob_up", 2),
    "bad side": (lambda p: write(p, frame(side=[1, 0, 2, -1]), ".pkl"), "side must be", "side", 3),
    "no time": (lambda p: write(p, frame().reset_index(drop=True), ".csv", index=False), "no time found", None, None),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_names_what_and_where(tmp_path, case):
    make, message, column, row = BAD_CASES[case]
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        load_signals(path)
    text = str(info.value)
    assert message in text and str(path) in text and "\n" not in text
    assert info.value.column == column
    assert info.value.row == row


def test_unsorted_times(tmp_path):
    df = frame()
    df.index = pd.DatetimeIndex([TIMES[0], TIMES[2], TIMES[1], TIMES[3]], name="datetime")
    with pytest.raises(InputError, match="not sorted") as info:
        load_signals(write(tmp_path, df, ".parquet"))
    assert info.value.row == 3 and info.value.column == "datetime"


def test_duplicate_times_refused_by_default(tmp_path):
    df = frame()
    df.index = pd.DatetimeIndex([TIMES[0], TIMES[1], TIMES[1], TIMES[2]], name="datetime")
    with pytest.raises(InputError, match="duplicate time") as info:
        load_signals(write(tmp_path, df, ".pkl"))
    assert info.value.row == 3


def test_mixed_timezones_in_csv(tmp_path):
    path = raw_file(
        tmp_path, "s.csv",
        b"datetime,q10,q50,q90\n2025-01-06T00:05:00Z,-0.01,0.01,0.03\n2025-01-06 00:10:00,-0.01,0.01,0.03\n",
    )
    with pytest.raises(InputError, match="timezone mix-up") as info:
        load_signals(path)
    assert info.value.row == 2 and info.value.column == "datetime"


def test_different_offsets_are_fine(tmp_path):
    path = raw_file(
        tmp_path, "s.csv",
        b"datetime,q10,q50,q90\n2025-01-06T01:05:00+01:00,-0.01,0.01,0.03\n2025-01-06T00:10:00Z,-0.01,0.01,0.03\n",
    )
    assert list(load_signals(path).frame.index) == list(pd.DatetimeIndex(["2025-01-06 00:05", "2025-01-06 00:10"], tz="UTC"))


def test_unknown_instrument(tmp_path):
    df = frame().reset_index()
    df["instrument"] = "BTCUSDT"
    with pytest.raises(InputError, match="unknown instrument 'SOLUSDT': file has BTCUSDT") as info:
        load_signals(write(tmp_path, df, ".csv", index=False), instrument="SOLUSDT")
    assert info.value.column == "instrument"
