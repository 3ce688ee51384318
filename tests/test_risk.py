"""Risk gate: each limit refuses with a reason, and no order sequence ever breaks a limit."""

from hypothesis import given, settings
from hypothesis import strategies as st

from shared_signals.config import NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND, RiskLimits
from shared_signals.risk import RiskGate, RiskRule

LIMITS = RiskLimits(
    max_position_qty=1.0,
    max_position_fraction=0.5,
    max_order_notional=30_000.0,
    max_orders_per_minute=3,
    max_daily_loss_fraction=0.05,
    max_drawdown_fraction=0.10,
)
PRICE = 50_000.0
EQUITY = 200_000.0


def test_approves_an_order_inside_every_limit():
    assert RiskGate(LIMITS).check(0, 1, 0.5, PRICE, 0.0, EQUITY).approved


def test_absolute_position_cap():
    verdict = RiskGate(LIMITS).check(0, 1, 0.5, PRICE, 0.6, EQUITY)
    assert not verdict.approved and "max 1" in verdict.reason


def test_equity_fraction_cap():
    verdict = RiskGate(LIMITS).check(0, 1, 0.5, PRICE, 0.0, 40_000.0)
    assert not verdict.approved and "of equity" in verdict.reason


def test_notional_cap_applies_even_to_reductions():
    verdict = RiskGate(LIMITS).check(0, -1, 0.7, PRICE, 0.9, EQUITY)
    assert not verdict.approved and "notional" in verdict.reason


def test_order_rate():
    gate = RiskGate(LIMITS)
    assert all(gate.check(i * NANOS_PER_SECOND, 1, 0.01, PRICE, 0.0, EQUITY).approved for i in range(3))
    refused = gate.check(3 * NANOS_PER_SECOND, 1, 0.01, PRICE, 0.0, EQUITY)
    assert not refused.approved and "order rate" in refused.reason
    assert gate.check(NANOS_PER_MINUTE + 1, 1, 0.01, PRICE, 0.0, EQUITY).approved


def test_daily_loss_kill_switch_allows_only_reductions():
    gate = RiskGate(LIMITS)
    gate.observe_equity(0, EQUITY)
    gate.observe_equity(1, EQUITY * 0.94)
    refused = gate.check(2, 1, 0.1, PRICE, 0.2, EQUITY * 0.94)
    assert not refused.approved and "daily loss" in refused.reason
    assert gate.check(3, -1, 0.2, PRICE, 0.2, EQUITY * 0.94).approved


def test_drawdown_kill_switch_latches_across_days():
    gate = RiskGate(LIMITS)
    gate.observe_equity(0, EQUITY)
    gate.observe_equity(NANOS_PER_DAY, EQUITY * 0.97)
    gate.observe_equity(2 * NANOS_PER_DAY, EQUITY * 0.89)
    assert gate.kill_reason is not None and "drawdown" in gate.kill_reason
    assert not gate.check(3 * NANOS_PER_DAY, 1, 0.01, PRICE, 0.0, EQUITY).approved


def test_a_new_day_opens_at_the_equity_carried_over_even_when_it_is_unchanged():
    gate = RiskGate(LIMITS)
    gate.observe_equity(0, EQUITY)
    gate.observe_equity(1, EQUITY * 0.97)
    gate.observe_equity(NANOS_PER_DAY, EQUITY * 0.97)
    assert gate.kill_reason is None
    gate.observe_equity(NANOS_PER_DAY + 1, EQUITY * 0.97 * 0.94)
    assert gate.kill_reason is not None and "daily loss 6.00%" in gate.kill_reason


def naive_kill_reason_kind(observations: list[tuple[int, float]]) -> str | None:
    """The kill switch worked out from scratch: each day opens at its first equity, the peak is the
    highest equity so far; the first breach wins."""
    day_open: dict[int, float] = {}
    peak = 0.0
    for ts, equity in observations:
        day_open.setdefault(ts // NANOS_PER_DAY, equity)
        peak = max(peak, equity)
        opened = day_open[ts // NANOS_PER_DAY]
        if opened > 0 and equity < opened * (1 - LIMITS.max_daily_loss_fraction):
            return "daily loss"
        if peak > 0 and equity < peak * (1 - LIMITS.max_drawdown_fraction):
            return "drawdown"
    return None


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.integers(0, 20 * NANOS_PER_HOUR), st.sampled_from((0.85, 0.9, 0.94, 0.96, 1.0, 1.02, 1.1))),
        max_size=30,
    )
)
def test_kill_switch_trips_exactly_when_worked_out_from_scratch(steps):
    gate = RiskGate(LIMITS)
    observations = []
    t = 0
    for dt, ratio in steps:
        t += dt
        observations.append((t, EQUITY * ratio))
        gate.observe_equity(t, EQUITY * ratio)
    expected = naive_kill_reason_kind(observations)
    if expected is None:
        assert gate.kill_reason is None
    else:
        assert gate.kill_reason is not None and expected in gate.kill_reason


def test_invalid_orders_are_refused():
    gate = RiskGate(LIMITS)
    for side, qty, price in ((0, 0.1, PRICE), (1, 0.0, PRICE), (1, float("nan"), PRICE), (1, 0.1, float("inf"))):
        assert not gate.check(0, side, qty, price, 0.0, EQUITY).approved


order = st.tuples(
    st.integers(0, 30 * NANOS_PER_SECOND),
    st.sampled_from((1, -1)),
    st.one_of(st.floats(0, 3), st.just(float("nan"))),
    st.floats(1, 200_000, allow_nan=False),
    st.floats(1_000, 400_000, allow_nan=False),
)


@settings(max_examples=300)
@given(st.lists(order, min_size=1, max_size=40))
def test_no_sequence_of_orders_breaks_a_limit(orders):
    gate = RiskGate(LIMITS)
    position = 0.0
    t = 0
    approved_times = []
    for dt, side, qty, price, equity in orders:
        t += dt
        killed_before = gate.kill_reason is not None
        verdict = gate.check(t, side, qty, price, position, equity)
        if not verdict.approved:
            continue
        new_position = position + side * qty
        reducing = abs(new_position) <= abs(position) + 1e-9 and new_position * position >= 0
        assert qty * price <= LIMITS.max_order_notional + 1e-6
        if not reducing:
            assert not killed_before and gate.kill_reason is None
            assert abs(new_position) <= LIMITS.max_position_qty + 1e-9
            assert abs(new_position) * price / equity <= LIMITS.max_position_fraction + 1e-9
        approved_times.append(t)
        in_window = [s for s in approved_times if t - NANOS_PER_MINUTE < s <= t]
        assert len(in_window) <= LIMITS.max_orders_per_minute
        position = new_position


def test_a_quote_older_than_the_limit_is_a_closed_market_for_every_order():
    gate = RiskGate(RiskLimits(max_quote_age_s=3600.0))
    assert gate.check(0, 1, 0.1, PRICE, 0.0, EQUITY, quote_age_ns=3600 * NANOS_PER_SECOND - 1).approved
    buying = gate.check(0, 1, 0.1, PRICE, 0.0, EQUITY, quote_age_ns=3600 * NANOS_PER_SECOND)  # its successor is due
    reducing = gate.check(0, -1, 0.1, PRICE, 0.5, EQUITY, quote_age_ns=2 * NANOS_PER_HOUR)
    for verdict in (buying, reducing):
        assert not verdict.approved and verdict.rule is RiskRule.STALE_QUOTE and "closed market" in verdict.reason
    assert "2.00 h old (in force for less than 1 h)" in reducing.reason
