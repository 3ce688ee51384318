"""The single decision rule: actions, sizes and reasons."""

import pytest

from shared_signals.config import DecisionParams, ProbabilityParams, SignalCoreConfig, SizingParams
from shared_signals.decision import Action, MarketState, decide
from shared_signals.rules import rule_for
from tests.conftest import make_signal

MARKET = MarketState(ts_ns=0, bid=59_999.0, ask=60_001.0)
LONG = make_signal(side=1, prob_up=0.7, q50=0.01, vol_risk=0.0, vol_decile=0, regime_volatility="medium")
SHORT = make_signal(side=0, prob_up=0.3, q50=-0.01, vol_risk=0.0, vol_decile=0, regime_volatility="medium")
HOLD = make_signal(side=-1, prob_up=0.55)


def test_no_signal_keeps_the_position():
    d = decide(None, 0.5, MARKET)
    assert d.action is Action.HOLD and not d.is_order and d.target_position == 0.5
    assert d.reason == "no signal in force"


def test_buy_from_flat_sizes_on_the_ask():
    d = decide(LONG, 0.0, MARKET)
    assert d.action is Action.BUY and d.side == 1
    assert d.order_qty == pytest.approx(0.16666)  # 10% of 100,000 / 60,001, rounded down
    assert d.target_position == pytest.approx(0.16666)


def test_buy_from_short_flips_to_the_target():
    d = decide(LONG, -0.1, MARKET)
    assert d.action is Action.BUY and d.order_qty == pytest.approx(0.26666)


def test_already_long_holds():
    assert decide(LONG, 0.05, MARKET).reason == "already long"


def test_sell_from_long_goes_short():
    d = decide(SHORT, 0.1, MARKET)
    assert d.action is Action.SELL and d.side == -1
    assert d.target_position == pytest.approx(-0.16666)  # 10,000 / 59,999 on the bid, rounded down
    assert d.order_qty == pytest.approx(0.26666)


def test_sell_without_shorts_only_closes():
    params = DecisionParams(allow_short=False)
    d = decide(SHORT, 0.1, MARKET, params)
    assert d.action is Action.CLOSE and d.side == -1 and d.order_qty == pytest.approx(0.1)
    assert decide(SHORT, 0.0, MARKET, params).action is Action.HOLD


def test_hold_signal_closes_by_default_and_not_when_configured():
    d = decide(HOLD, -0.2, MARKET)
    assert d.action is Action.CLOSE and d.side == 1 and d.order_qty == pytest.approx(0.2) and d.target_position == 0.0
    assert decide(HOLD, -0.2, MARKET, DecisionParams(close_on_hold=False)).action is Action.HOLD


@pytest.mark.parametrize("prob_up", [0.6, 0.55])
def test_threshold_is_strict(prob_up):
    assert decide(make_signal(side=1, prob_up=prob_up), 0.0, MARKET).reason == "below threshold"


def test_order_in_flight_blocks_a_second_order():
    assert decide(LONG, 0.0, MARKET, order_in_flight=True).reason == "order in flight"


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from shared_signals.config import NANOS_PER_SECOND, SignalCoreConfig  # noqa: E402
from shared_signals.runner import SignalRunner  # noqa: E402

SIGNALS = [LONG, SHORT, HOLD, None, make_signal(side=1, prob_up=0.55)]


@given(st.lists(st.tuples(st.integers(0, 4), st.sampled_from((0.0, 0.1, -0.1)), st.booleans(), st.floats(30_000, 90_000)), min_size=1, max_size=60))
def test_runner_decisions_equal_fresh_decisions_on_every_quote(steps):
    runner = SignalRunner(SignalCoreConfig())
    for k, (index, position, in_flight, price) in enumerate(steps):
        signal = SIGNALS[index]
        market = MarketState(k * NANOS_PER_SECOND, price - 1.0, price + 1.0)
        got = runner.step(market.ts_ns, market.bid, market.ask, signal, position, 1e9, in_flight).decision
        assert got == decide(signal, position, market, order_in_flight=in_flight)


def test_target_pct_sizing_uses_the_runs_probability_settings():
    sizing = DecisionParams(sizing=SizingParams(method="target_pct"))
    pinned = ProbabilityParams(target_pct_min=0.003, target_pct_max=0.003)  # target_pct is 0.3% whatever the quantiles
    config = SignalCoreConfig(decision=sizing, probability=pinned)
    d = rule_for(config)(LONG, 0.0, MARKET, config.decision, False)
    assert d.order_qty == 0.00499  # 0.3% of 100,000 / 60,001 = 0.0049999, rounded down to the 0.00001 step
