"""A run that cannot go on is refused when it is described, whichever platform it is for."""

from pathlib import Path

import pytest

from evaluator.run_options import RunOptions
from shared_signals.errors import InputError


@pytest.mark.parametrize("platform", ["nautilus", "hummingbot"])
@pytest.mark.parametrize(("changes", "message"), [({"speed": 0.0}, "speed must be positive"), ({"tick_size_ns": 0}, "tick size must be positive")])
def test_impossible_speed_or_tick_is_a_clear_error(platform, changes, message):
    with pytest.raises(InputError, match=message):
        RunOptions(platform=platform, mode="live", quotes=Path("q"), signals=Path("s"), run_dir=Path("r"), run_id="x", **changes)
