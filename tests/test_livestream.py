"""The AI-livestream rule (Hummingbot's controller) beside the shared decision: direction, actions,
and that its orders still pass the shared risk gate."""

import pytest

from shared_signals.config import DecisionParams, LivestreamParams, RiskLimits, SignalCoreConfig
from shared_signals.decision import Action, MarketState, decide
from shared_signals.livestream import decide_livestream, livestream_direction
from shared_signals.rules import decide_by_rule
from shared_signals.runner import SignalRunner
from tests.conftest import make_signal

MARKET = MarketState(ts_ns=0, bid=59_999.0, ask=60_001.0)
# probabilities [short, neutral, long]: spread 0.04 saturates neutral at 0.3
UP = make_signal(q10=-0.01, q50=0.01, q90=0.03, side=-1, prob_up=0.7, vol_risk=0.0, vol_decile=0)  # [0.21, 0.3, 0.49]
STRONG_UP = make_signal(q10=0.0, q50=0.01, q90=0.02, side=-1, prob_up=1.0, vol_risk=0.0, vol_decile=0)  # [0, 0.3, 0.7]
STRONG_DOWN = make_signal(q10=-0.02, q50=-0.01, q90=0.0, side=1, prob_up=0.0, vol_risk=0.0, vol_decile=0)  # [0.7, 0.3, 0]
LIVESTREAM = DecisionParams(rule="ai_livestream")


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [(0.51, 0.2, -1), (0.2, 0.51, 1), (0.5, 0.5, 0), (0.2, 0.2, 0), (0.6, 0.6, -1)],
)
def test_direction_checks_short_first_with_strict_thresholds(short, long, expected):
    assert livestream_direction(short, long) == expected


def test_direction_uses_each_threshold():
    params = LivestreamParams(long_threshold=0.4, short_threshold=0.8)
    assert livestream_direction(0.7, 0.45, params) == 1
    assert livestream_direction(0.81, 0.45, params) == -1


def test_long_probability_over_threshold_buys_with_the_shared_size():
    d = decide_livestream(STRONG_UP, 0.0, MARKET, LIVESTREAM)
    assert d.action is Action.BUY and d.side == 1 and d.reason == "livestream long: long 0.700 > 0.5"
    assert d.order_qty == pytest.approx(0.16666)  # 10% of 100,000 / 60,001 on the ask, rounded down: the shared sizing
    assert decide(STRONG_UP, 0.0, MARKET).action is Action.HOLD  # the shared rule reads side (hold here)


def test_short_probability_over_threshold_sells_even_against_the_side_column():
    d = decide_livestream(STRONG_DOWN, 0.1, MARKET, LIVESTREAM)
    assert d.action is Action.SELL and d.side == -1 and d.target_position < 0
    assert decide(STRONG_DOWN, 0.1, MARKET).action is not Action.SELL  # side says buy: the shared rule does not sell


def test_no_confident_side_goes_flat():
    d = decide_livestream(UP, 0.2, MARKET, LIVESTREAM)  # long 0.49 is not over 0.5
    assert d.action is Action.CLOSE and d.side == -1 and d.order_qty == pytest.approx(0.2) and d.target_position == 0.0
    flat = decide_livestream(UP, 0.0, MARKET, LIVESTREAM)
    assert flat.action is Action.HOLD and flat.reason == "livestream flat" and flat.price_independent


def test_holds_like_the_shared_rule():
    assert decide_livestream(None, 0.3, MARKET, LIVESTREAM).reason == "no signal in force"
    assert decide_livestream(STRONG_UP, 0.0, MARKET, LIVESTREAM, order_in_flight=True).reason == "order in flight"
    assert decide_livestream(STRONG_UP, 0.3, MARKET, LIVESTREAM).reason == "already long"
    no_shorts = DecisionParams(rule="ai_livestream", allow_short=False)
    assert decide_livestream(STRONG_DOWN, 0.0, MARKET, no_shorts).reason == "sell signal, shorts disabled"


@pytest.mark.parametrize(("signal", "expected"), [(UP, 0), (STRONG_UP, 1), (STRONG_DOWN, -1)])
def test_the_rule_reads_the_probabilities_the_payload_carries(signal, expected):
    # by hand from the quantiles (see UP, STRONG_UP, STRONG_DOWN): long 0.49 is not over 0.5; long 0.7, short 0.7 are
    assert decide_livestream(signal, 0.0, MARKET, LIVESTREAM).side == expected


def test_decide_by_rule_picks_the_configured_rule():
    shared, livestream = SignalCoreConfig(), SignalCoreConfig(decision=LIVESTREAM)
    assert decide_by_rule(STRONG_UP, 0.0, MARKET, shared) == decide(STRONG_UP, 0.0, MARKET)
    assert decide_by_rule(STRONG_UP, 0.0, MARKET, livestream) == decide_livestream(STRONG_UP, 0.0, MARKET, LIVESTREAM)


def test_livestream_orders_still_pass_the_risk_gate():
    config = SignalCoreConfig(decision=LIVESTREAM, risk=RiskLimits(max_order_notional=1_000.0))
    step = SignalRunner(config).step(0, MARKET.bid, MARKET.ask, STRONG_UP, 0.0, 100_000.0)
    assert step.decision.action is Action.BUY and not step.submit
    assert "notional" in step.verdict.reason and step.first_refusal
