"""Memory verdicts from the RSS slope's interval: synthetic series with a known slope and noise, and a
real child process that leaks on purpose, sampled by the harness's own sampler."""

import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.metrics.memory import MemoryVerdict, memory_growth, newey_west_lags
from evaluator.analysis.run_folder import read_resources
from evaluator.harness.resources import ResourceSampler

S = 1_000_000_000
HOUR_S = 3600


def series(seconds: float, every_s: float, slope_mb_per_h: float, noise_mb: float, seed: int, persistence: float = 0.0):
    """RSS samples: a line plus AR(1) noise (``persistence`` 0 = white), as the allocator makes it."""
    rng = np.random.default_rng(seed)
    n = int(seconds / every_s)
    shocks = rng.normal(0.0, noise_mb, n)
    noise = np.empty(n)
    noise[0] = shocks[0]
    for i in range(1, n):
        noise[i] = persistence * noise[i - 1] + shocks[i]
    t = np.arange(n) * every_s
    return pd.DataFrame({"wall_ns": (t * S).astype("int64"), "rss_mb": 400.0 + slope_mb_per_h * t / HOUR_S + noise})


def test_a_long_flat_series_with_noise_is_stable_and_its_interval_holds_zero():
    growth = memory_growth(series(24 * HOUR_S, 10, 0.0, 0.8, seed=1, persistence=0.7), 10.0, 1.0, 0.95)
    assert growth.verdict is MemoryVerdict.STABLE and growth.needed_window_s is None
    assert growth.per_wall_hour.low < 0.0 < growth.per_wall_hour.high < 0.1


def test_a_short_noisy_series_is_not_enough_data_and_says_how_long_would_be():
    """Half a minute of 0.8 MB noise: the slope's interval spans far more than the 10 MB/h threshold."""
    growth = memory_growth(series(30, 1, 0.0, 0.8, seed=1), 10.0, 1.0, 0.95)
    assert growth.verdict is MemoryVerdict.NOT_ENOUGH_DATA
    assert growth.per_wall_hour.low < 10.0 < growth.per_wall_hour.high
    half_width = (growth.per_wall_hour.high - growth.per_wall_hour.low) / 2
    assert growth.needed_window_s == pytest.approx(growth.window_s * (half_width / 10.0) ** (1 / 1.5))
    assert growth.needed_window_s > 4 * growth.window_s


def test_a_steady_leak_is_growing_and_its_interval_holds_the_true_slope():
    growth = memory_growth(series(4 * 60, 1, 200.0, 0.8, seed=2, persistence=0.5), 50.0, 1.0, 0.95)
    assert growth.verdict is MemoryVerdict.GROWING
    assert 50.0 < growth.per_wall_hour.low < 200.0 < growth.per_wall_hour.high


def test_the_accelerated_soak_judges_growth_per_market_hour():
    """The README's soak: five minutes at 288x. +50 MB per wall hour is 0.17 MB per market hour: stable;
    the same samples at 1x are growth."""
    samples = series(5 * 60, 1, 50.0, 0.3, seed=3)
    accelerated = memory_growth(samples, 10.0, 288.0, 0.95)
    assert accelerated.verdict is MemoryVerdict.STABLE
    assert accelerated.per_market_hour.slope == pytest.approx(accelerated.per_wall_hour.slope / 288.0)
    assert memory_growth(samples, 10.0, 1.0, 0.95).verdict is MemoryVerdict.GROWING


def test_a_memory_that_shrinks_is_not_growth():
    assert memory_growth(series(10 * 60, 1, -300.0, 0.5, seed=4), 10.0, 1.0, 0.95).verdict is MemoryVerdict.STABLE


def test_too_few_samples_give_no_interval():
    growth = memory_growth(series(4, 1, 0.0, 0.8, seed=5), 10.0, 1.0, 0.95)
    assert growth.verdict is MemoryVerdict.NOT_ENOUGH_DATA and growth.samples == 4 and growth.needed_window_s is None


def test_the_hac_lag_length_follows_newey_west():
    assert [newey_west_lags(n) for n in (30, 100, 1_000, 10_000)] == [3, 4, 6, 11]


LEAKER = """
import time
held = []
while True:
    block = bytearray(2 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])
    held.append(block)
    time.sleep(0.1)
"""
SLEEPER = "import time\ntime.sleep(60)\n"


def sampled_growth(code: str, folder, seconds: float = 6.0, every_s: float = 0.2):
    """Runs ``code`` in a child process and samples it with the supervisor's sampler."""
    child = subprocess.Popen([sys.executable, "-c", code])
    sampler = ResourceSampler(child.pid, folder)
    try:
        time.sleep(1.0)  # the interpreter's start-up is not growth
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            sampler.sample()
            time.sleep(every_s)
    finally:
        child.kill()
        child.wait()
        sampler.close()
    return memory_growth(read_resources(folder), 50.0, 1.0, 0.95)


@pytest.mark.slow
def test_a_child_that_leaks_on_purpose_is_called_growing_and_an_idle_one_stable(tmp_path):
    leak = sampled_growth(LEAKER, tmp_path / "leaker")
    assert leak.verdict is MemoryVerdict.GROWING and leak.samples >= 15
    assert leak.per_wall_hour.low > 10_000.0  # about 20 MB/s: 72 GB per hour
    idle = sampled_growth(SLEEPER, tmp_path / "sleeper")
    assert idle.verdict is MemoryVerdict.STABLE
