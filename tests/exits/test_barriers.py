"""The barrier rules by hand: each barrier, the executor's order of checks, the trailing stop's arming
and close, the scaling by ``target_pct``, and the causes a signal's orders carry."""

from __future__ import annotations

import pytest

from shared_signals.config import NANOS_PER_SECOND, ExitParams, ProbabilityParams, SignalCoreConfig
from shared_signals.contract.codes import ExitCause
from shared_signals.errors import InputError
from shared_signals.exits import (
    OpenPosition, barrier_prices, barriers_for, check_barriers, crosses_resting, order_cause, time_limit_ns,
)

ENTRY = 100.0


def long_position(**exits) -> OpenPosition:
    return OpenPosition(1, ENTRY, 0, barriers_for(ExitParams(**exits)))


def short_position(**exits) -> OpenPosition:
    return OpenPosition(-1, ENTRY, 0, barriers_for(ExitParams(**exits)))


def test_off_by_default():
    assert not ExitParams().enabled
    assert check_barriers(long_position(), 10**18, 1.0, 1e9) == (None, long_position())


def test_a_long_s_stop_loss_reads_the_bid_and_a_short_s_the_ask():
    position = long_position(stop_loss=0.02)
    assert check_barriers(position, 1, 98.01, 97.0)[0] is None  # the ask does not count for a long
    assert check_barriers(position, 1, 98.0, 99.0)[0] is ExitCause.STOP_LOSS  # at the barrier: closes
    short = short_position(stop_loss=0.02)
    assert check_barriers(short, 1, 103.0, 101.99)[0] is None
    assert check_barriers(short, 1, 101.0, 102.0)[0] is ExitCause.STOP_LOSS


def test_take_profit_at_its_fraction_of_the_entry():
    position = long_position(take_profit=0.03)
    assert check_barriers(position, 1, 102.99, 110.0)[0] is None
    assert check_barriers(position, 1, 103.0, 103.1)[0] is ExitCause.TAKE_PROFIT
    assert check_barriers(short_position(take_profit=0.03), 1, 90.0, 97.0)[0] is ExitCause.TAKE_PROFIT


def test_time_limit_counts_from_the_entry_fill():
    position = OpenPosition(1, ENTRY, 5 * NANOS_PER_SECOND, barriers_for(ExitParams(time_limit_s=60)))
    assert time_limit_ns(position) == 65 * NANOS_PER_SECOND
    assert check_barriers(position, 65 * NANOS_PER_SECOND - 1, ENTRY, ENTRY)[0] is None
    assert check_barriers(position, 65 * NANOS_PER_SECOND, ENTRY, ENTRY)[0] is ExitCause.TIME_LIMIT


def test_the_executor_s_order_stop_loss_first_then_trailing_then_take_profit_then_time():
    everything = dict(stop_loss=0.01, take_profit=0.01, time_limit_s=1, trailing_stop_activation=0.001, trailing_stop_delta=0.5)
    late = 10 * NANOS_PER_SECOND
    assert check_barriers(long_position(**everything), late, 99.0, 99.0)[0] is ExitCause.STOP_LOSS  # time is up too
    armed = long_position(**everything)._replace(trailing_trigger=0.02)
    assert check_barriers(armed, late, 101.5, 101.5)[0] is ExitCause.TRAILING_STOP  # take profit and time too
    assert check_barriers(long_position(**everything), late, 101.5, 101.5)[0] is ExitCause.TAKE_PROFIT  # time too
    assert check_barriers(long_position(**everything), late, ENTRY, ENTRY)[0] is ExitCause.TIME_LIMIT


def test_the_trailing_stop_arms_above_its_activation_then_closes_below_the_best_minus_its_delta():
    position = long_position(trailing_stop_activation=0.02, trailing_stop_delta=0.01)
    path = [(101.0, None), (102.0, None), (102.5, 0.015), (104.0, 0.03), (103.5, 0.03), (103.01, 0.03)]
    for bid, trigger in path:  # at 102.0 the profit is not above 2%: not armed; the quote that arms never closes
        cause, position = check_barriers(position, 1, bid, bid + 0.1)
        assert cause is None and position.trailing_trigger == pytest.approx(trigger)
    cause, after = check_barriers(position, 1, 102.99, 103.1)
    assert cause is ExitCause.TRAILING_STOP and after.trailing_trigger == pytest.approx(0.03)


def test_a_short_s_trailing_stop_follows_the_ask_down():
    position = short_position(trailing_stop_activation=0.02, trailing_stop_delta=0.01)
    for ask in (97.0, 95.0):
        cause, position = check_barriers(position, 1, ask - 0.1, ask)
        assert cause is None
    assert position.trailing_trigger == pytest.approx(0.04)
    assert check_barriers(position, 1, 95.9, 96.01)[0] is ExitCause.TRAILING_STOP


def test_scaling_multiplies_the_price_barriers_by_target_pct_not_the_time_limit():
    params = ExitParams(stop_loss=0.5, take_profit=0.8, time_limit_s=30, trailing_stop_activation=0.4,
                        trailing_stop_delta=0.2, scale_by_target_pct=True)
    barriers = barriers_for(params, 0.02)
    assert barriers == pytest.approx((0.01, 0.016, 30 * NANOS_PER_SECOND, 0.008, 0.004))
    assert barriers_for(params, 0.02).time_limit_ns == barriers_for(params, 0.04).time_limit_ns
    with pytest.raises(ValueError, match="target_pct"):
        barriers_for(params, None)
    assert barrier_prices(OpenPosition(1, ENTRY, 0, barriers)) == pytest.approx((99.0, 101.6, 100.8))
    assert barrier_prices(OpenPosition(-1, ENTRY, 0, barriers)) == pytest.approx((101.0, 98.4, 99.2))


def test_a_signal_s_order_is_a_close_when_it_reduces_or_flips():
    assert order_cause(-1, 0.5, 0.001) is ExitCause.SIGNAL  # close or flip of a long
    assert order_cause(1, -0.5, 0.001) is ExitCause.SIGNAL
    assert order_cause(1, 0.0, 0.001) is None  # opens from flat
    assert order_cause(1, 0.0004, 0.001) is None  # flat within half a step
    assert order_cause(1, 0.5, 0.001) is None  # adds


@pytest.mark.parametrize("bad", [{"stop_loss": 1.0}, {"take_profit": 0}, {"time_limit_s": -5},
                                 {"trailing_stop_activation": 0.01}])
def test_out_of_range_exits_are_refused(bad):
    with pytest.raises(InputError):
        ExitParams(**bad)


def test_a_short_s_take_profit_a_whole_entry_price_away_rests_nowhere():
    """A short profits at most its entry price: a take profit of 150% lies below a zero price, so no
    resting order is placed for it, and no quote hits it."""
    position = short_position(stop_loss=0.02, take_profit=1.5)
    assert barrier_prices(position) == pytest.approx((102.0, None, None))
    assert barrier_prices(long_position(take_profit=1.5))[1] == pytest.approx(250.0)
    assert check_barriers(position, 0, 0.01, 0.02)[0] is None


def test_multiples_of_target_pct_are_bounded_by_the_largest_target_not_by_one():
    scaled = ExitParams(stop_loss=1.5, trailing_stop_activation=2.0, trailing_stop_delta=1.0, scale_by_target_pct=True)
    assert SignalCoreConfig(exits=scaled).exits.stop_loss == 1.5  # 1.5 x at most 5%
    with pytest.raises(InputError, match=r"stop_loss = 1.5 \(a multiple of target_pct\).*target_pct_max = 0.7 it must be < 1.42857"):
        SignalCoreConfig(exits=scaled, probability=ProbabilityParams(target_pct_max=0.7))


def test_a_resting_close_is_crossed_on_the_touch_it_closes_at():
    """A long's take profit (a LIMIT) fills at a bid at or above its price, its stops at a bid at or below
    their trigger; a short's on the ask, mirrored; the other side of the book never fills them."""
    assert crosses_resting(1, 101.0, 101.5, [101.0], [])
    assert not crosses_resting(1, 100.99, 105.0, [101.0], [])
    assert crosses_resting(1, 99.0, 99.5, [], [99.0])
    assert not crosses_resting(1, 99.01, 95.0, [], [99.0])
    assert crosses_resting(1, 98.0, 98.5, [101.0], [95.0, 99.0])  # the trailing stop's trigger above the stop's
    assert crosses_resting(-1, 98.5, 99.0, [99.0], [])
    assert not crosses_resting(-1, 90.0, 99.01, [99.0], [])
    assert crosses_resting(-1, 100.5, 101.0, [], [101.0])
    assert not crosses_resting(-1, 105.0, 100.99, [], [101.0])
    assert not crosses_resting(1, 100.0, 100.5, [], [])
