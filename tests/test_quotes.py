"""Quote files: whole or streamed, the same checks, errors naming file, column and row."""

import numpy as np
import pandas as pd
import pytest

from shared_signals.errors import InputError
from shared_signals.quotes import iter_quote_batches, load_quotes


def quotes(n=10, **changes):
    data = {
        "timestamp": pd.date_range("2025-01-06", periods=n, freq="1s"),
        "bid_price": np.full(n, 100.0),
        "ask_price": np.full(n, 100.5),
        "bid_size": np.ones(n),
        "ask_size": np.ones(n),
    }
    data.update(changes)
    return pd.DataFrame(data)


def test_streamed_batches_equal_the_whole_file(tmp_path, small_demo):
    whole = load_quotes(small_demo.quotes)
    streamed = pd.concat(list(iter_quote_batches(small_demo.quotes, batch_rows=1000)))
    pd.testing.assert_frame_equal(whole, streamed)
    assert str(whole.index.tz) == "UTC" and len(whole) == 7200


def test_datetime_index_is_accepted(tmp_path):
    path = tmp_path / "q.parquet"
    quotes().set_index("timestamp").to_parquet(path)
    assert len(load_quotes(path)) == 10


@pytest.mark.parametrize(
    ("changes", "message", "column", "row"),
    [
        ({"bid_price": [100.0] * 4 + [np.nan] + [100.0] * 5}, "NaN", "bid_price", 5),
        ({"ask_size": [1.0] * 6 + [-1.0] + [1.0] * 3}, "positive", "ask_size", 7),
        ({"bid_price": [100.0] * 2 + [101.0] + [100.0] * 7}, "crossed", "bid_price", 3),
    ],
)
def test_bad_values(tmp_path, changes, message, column, row):
    path = tmp_path / "q.parquet"
    quotes(**changes).to_parquet(path)
    with pytest.raises(InputError, match=message) as info:
        load_quotes(path)
    assert (info.value.column, info.value.row) == (column, row)


def test_unsorted_across_a_batch_boundary(tmp_path):
    times = list(pd.date_range("2025-01-06", periods=10, freq="1s"))
    times[5], times[4] = times[4], times[5]
    path = tmp_path / "q.parquet"
    quotes(timestamp=times).to_parquet(path)
    with pytest.raises(InputError, match="not sorted") as info:
        list(iter_quote_batches(path, batch_rows=5))
    assert info.value.row == 6


def test_missing_column_and_corrupt_file(tmp_path):
    path = tmp_path / "q.parquet"
    quotes().drop(columns=["ask_size"]).to_parquet(path)
    with pytest.raises(InputError, match="missing required column") as info:
        load_quotes(path)
    assert info.value.column == "ask_size"
    garbage = tmp_path / "g.parquet"
    garbage.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="cannot read parquet"):
        load_quotes(garbage)
