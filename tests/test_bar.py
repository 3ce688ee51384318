"""The signal file's bar, read off its timestamps: the tolerance when the user gives none."""

import numpy as np
import pytest

from shared_signals.bar import detect_bar
from shared_signals.errors import InputError

HOUR = 3600 * 10**9


def test_hourly_rows_with_gaps_of_whole_hours_have_an_hourly_bar():
    times = np.cumsum([0, HOUR, HOUR, 3 * HOUR, HOUR, 49 * HOUR, HOUR])  # a closed market is whole bars
    bar = detect_bar(times, 0.9)
    assert bar.bar_ns == HOUR and bar.fit_share == 1.0


def test_a_few_odd_spacings_are_tolerated_up_to_the_stated_share():
    spacings = [HOUR] * 19 + [HOUR // 2]
    assert detect_bar(np.cumsum([0, *spacings]), 0.9).fit_share == pytest.approx(0.95)
    with pytest.raises(InputError, match=r"too irregular for one bar .*whole 1 h bars: 95%, 96% needed.*--tolerance"):
        detect_bar(np.cumsum([0, *spacings]), 0.96, "s.parquet")


def test_one_row_has_no_bar():
    with pytest.raises(InputError, match="one signal row: no bar .*--tolerance"):
        detect_bar(np.array([HOUR]), 0.9)
