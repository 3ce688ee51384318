"""Demo data: deterministic, well-formed, and signals that use only the past."""

import hashlib

import pandas as pd
import pyarrow.parquet as pq

from shared_signals.demo import DemoParams, demo_quotes, demo_signals, write_demo
from shared_signals.loader import load_signals
from shared_signals.quotes import ROW_GROUP_ROWS, load_quotes
from shared_signals.regime import VOL_REGIMES


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_byte_identical_files(tmp_path):
    params = DemoParams(hours=1.0, seed=5)
    a, b = write_demo(tmp_path / "a", params), write_demo(tmp_path / "b", params)
    assert digest(a.quotes) == digest(b.quotes) and digest(a.signals) == digest(b.signals)
    c = write_demo(tmp_path / "c", DemoParams(hours=1.0, seed=6))
    assert digest(a.quotes) != digest(c.quotes)


def test_files_pass_the_product_loaders(small_demo):
    quotes = load_quotes(small_demo.quotes)
    signals = load_signals(small_demo.signals)
    assert len(quotes) == 7200
    assert (signals.frame.index.to_series().diff().dropna() == pd.Timedelta("5min")).all()
    assert set(signals.frame["side"]) == {-1, 0, 1}


def test_the_day_demo_spans_several_volatility_regimes():
    params = DemoParams()
    regimes = demo_signals(demo_quotes(params), params)["regime_volatility"]
    assert regimes.nunique() >= 2 and set(regimes) <= set(VOL_REGIMES)


def test_signals_do_not_look_ahead():
    params = DemoParams(hours=2.0, seed=3)
    quotes = demo_quotes(params)
    full = demo_signals(quotes, params)
    cut = pd.Timestamp(params.start) + pd.Timedelta("1h")
    truncated = demo_signals(quotes[quotes["timestamp"] <= cut], params)
    shared = full[full["datetime"] <= cut].reset_index(drop=True)
    pd.testing.assert_frame_equal(truncated[["datetime", "q10", "q50", "q90"]], shared[["datetime", "q10", "q50", "q90"]])


def test_quotes_are_written_in_row_groups_so_they_stream_in_constant_memory(tmp_path):
    quotes = write_demo(tmp_path, DemoParams(hours=12.0)).quotes  # 43,200 one-second quotes
    metadata = pq.ParquetFile(quotes).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [20_000, 20_000, 3_200]
    assert ROW_GROUP_ROWS == 20_000
