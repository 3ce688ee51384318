"""As-of lookup: newest signal at or before t, within the tolerance, never from the future."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared_signals.asof import NO_SIGNAL, SignalSchedule
from shared_signals.schema import derive_columns
from shared_signals.table import SignalTable

TS = [100, 200, 300]


def table_at(times_ns: list[int]) -> SignalTable:
    index = pd.DatetimeIndex(pd.to_datetime(times_ns, unit="ns", utc=True), name="datetime")
    return SignalTable("BTCUSDT", derive_columns(pd.DataFrame({"q10": -0.01, "q50": 0.001, "q90": 0.01}, index=index)))


def in_force(ts: list[int], t: int, tolerance: int) -> int:
    """The brute-force answer: the newest signal at or before ``t``, if it is within the tolerance."""
    newest = max((k for k, s in enumerate(ts) if s <= t), default=None)
    return newest if newest is not None and t - ts[newest] <= tolerance else NO_SIGNAL


def signal_time(schedule: SignalSchedule, t: int) -> int | None:
    signal = schedule.at(t)
    return None if signal is None else signal.ts_ns


@pytest.mark.parametrize(("t", "expected"), [(99, None), (100, 100), (150, 100), (200, 200), (349, 300), (350, 300), (351, None)])
def test_lookup_examples(t, expected):
    assert signal_time(SignalSchedule(table_at(TS), tolerance_ns=50), t) == expected


def test_stale_signal_is_not_in_force_even_if_newest():
    schedule = SignalSchedule(table_at(TS), tolerance_ns=50)
    assert [signal_time(schedule, t) for t in (120, 160, 210, 260)] == [100, None, 200, None]


def test_schedule_refuses_to_go_back_in_time():
    schedule = SignalSchedule(table_at(TS), tolerance_ns=50)
    schedule.at(200)
    with pytest.raises(ValueError):
        schedule.at(199)


@given(
    st.lists(st.integers(0, 10_000), min_size=0, max_size=40, unique=True),
    st.lists(st.integers(-100, 10_100), min_size=1, max_size=60),
    st.integers(0, 500),
)
def test_never_future_never_stale(signal_times, query_times, tolerance):
    ts = sorted(signal_times)
    table = table_at(ts)
    schedule = SignalSchedule(table, tolerance)
    for t in sorted(query_times):
        k = in_force(ts, t, tolerance)
        signal = schedule.at(t)
        assert signal == (table.signal(k) if k != NO_SIGNAL else None)
        assert signal is None or (signal.ts_ns <= t and t - signal.ts_ns <= tolerance)


def test_schedule_answers_with_the_same_object_while_a_signal_is_in_force():
    schedule = SignalSchedule(table_at([100, 200]), tolerance_ns=1_000)
    first = schedule.at(100)
    assert schedule.at(150) is first and schedule.at(199) is first  # the runner's repeated HOLD relies on it
    second = schedule.at(200)
    assert second is not first and second.ts_ns == 200 and schedule.at(1_200) is second
    assert schedule.at(1_201) is None


def test_a_delivery_delay_shows_each_signal_later_and_expires_it_on_time():
    """An injected delay of 30 ns: the signal at 100 is seen from 130, and still expires after 100 + 50."""
    schedule = SignalSchedule(table_at([100, 300]), tolerance_ns=50, delay_ns=30)
    assert schedule.at(129) is None
    assert schedule.at(130).ts_ns == 100 and schedule.at(150).ts_ns == 100
    assert schedule.at(151) is None and schedule.at(329) is None
    assert schedule.at(330).ts_ns == 300
