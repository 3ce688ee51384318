"""As-of lookup: newest signal at or before t, within the tolerance, never from the future."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared_signals.asof import NO_SIGNAL, SignalCursor, SignalSchedule
from shared_signals.schema import derive_columns
from shared_signals.table import SignalTable

TS = [100, 200, 300]


def in_force(ts: list[int], t: int, tolerance: int) -> int:
    """The brute-force answer: the newest signal at or before ``t``, if it is within the tolerance."""
    newest = max((k for k, s in enumerate(ts) if s <= t), default=None)
    return newest if newest is not None and t - ts[newest] <= tolerance else NO_SIGNAL


@pytest.mark.parametrize(("t", "expected"), [(99, NO_SIGNAL), (100, 0), (150, 0), (200, 1), (349, 2), (350, 2), (351, NO_SIGNAL)])
def test_lookup_examples(t, expected):
    cursor = SignalCursor(TS, tolerance_ns=50)
    assert cursor.lookup(t) == expected


def test_stale_signal_is_not_in_force_even_if_newest():
    cursor = SignalCursor(TS, tolerance_ns=50)
    assert [cursor.lookup(t) for t in (120, 160, 210, 260)] == [0, NO_SIGNAL, 1, NO_SIGNAL]


def test_cursor_refuses_to_go_back_in_time():
    cursor = SignalCursor(TS, tolerance_ns=50)
    cursor.lookup(200)
    with pytest.raises(ValueError):
        cursor.lookup(199)


@given(
    st.lists(st.integers(0, 10_000), min_size=0, max_size=60, unique=True),
    st.lists(st.integers(-100, 10_100), min_size=1, max_size=60),
    st.integers(0, 500),
)
def test_never_future_never_stale(signal_times, query_times, tolerance):
    ts = sorted(signal_times)
    cursor = SignalCursor(ts, tolerance)
    for t in sorted(query_times):
        i = cursor.lookup(t)
        assert i == in_force(ts, t, tolerance)
        assert i == NO_SIGNAL or (ts[i] <= t and t - ts[i] <= tolerance)


def table_at(times_ns: list[int]) -> SignalTable:
    index = pd.DatetimeIndex(pd.to_datetime(times_ns, unit="ns", utc=True), name="datetime")
    return SignalTable("BTCUSDT", derive_columns(pd.DataFrame({"q10": -0.01, "q50": 0.001, "q90": 0.01}, index=index)))


@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=40, unique=True),
    st.lists(st.integers(-100, 10_100), min_size=1, max_size=60),
    st.integers(0, 500),
)
def test_schedule_answers_with_the_newest_signal_in_force(signal_times, query_times, tolerance):
    ts = sorted(signal_times)
    table = table_at(ts)
    schedule = SignalSchedule(table, tolerance)
    for t in sorted(query_times):
        k = in_force(ts, t, tolerance)
        assert schedule.at(t) == (table.signal(k) if k != NO_SIGNAL else None)


def test_schedule_answers_with_the_same_object_while_a_signal_is_in_force():
    schedule = SignalSchedule(table_at([100, 200]), tolerance_ns=1_000)
    first = schedule.at(100)
    assert schedule.at(150) is first and schedule.at(199) is first  # the runner's repeated HOLD relies on it
    second = schedule.at(200)
    assert second is not first and second.ts_ns == 200 and schedule.at(1_200) is second
    assert schedule.at(1_201) is None
