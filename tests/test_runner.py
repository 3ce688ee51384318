"""The shared per-quote loop: what it returns again without deciding anew, when it decides again, and
the kill switch's close."""

import pytest

from shared_signals.config import NANOS_PER_HOUR, ExitParams, RiskLimits, SignalCoreConfig
from shared_signals.contract.codes import ExitCause
from shared_signals.decision import Action
from shared_signals.risk import RiskRule
from shared_signals.runner import SignalRunner
from shared_signals.schema import Signal, SignalSide
from tests.conftest import make_signal

S = 1_000_000_000


def test_a_tripped_kill_switch_refuses_once_and_the_same_step_stands_until_the_inputs_change():
    runner = SignalRunner(SignalCoreConfig(risk=RiskLimits(max_drawdown_fraction=0.05)))
    buy = make_signal(signal_id="b", ts_ns=0)
    runner.step(0, 99.0, 101.0, None, 0.0, 100_000.0)
    runner.step(1 * S, 99.0, 101.0, None, 0.0, 90_000.0)  # 10% down from the peak: the switch trips
    first = runner.step(2 * S, 99.0, 101.0, buy, 0.0, 90_000.0)
    assert first.verdict.rule is RiskRule.KILL_SWITCH and first.first_refusal and first.new_signal
    again = [runner.step(t * S, 98.0 + t, 102.0 + t, buy, 0.0, 89_000.0) for t in range(3, 8)]  # other prices
    assert all(step is again[0] for step in again) and not again[0].first_refusal and not again[0].new_signal
    assert again[0].verdict.rule is RiskRule.KILL_SWITCH
    hold = make_signal(signal_id="h", ts_ns=8 * S, side=SignalSide.HOLD, q50=0.0)
    closing = runner.step(9 * S, 99.0, 101.0, hold, 0.5, 89_000.0)  # a position open: the switch closes it, not the signal
    assert closing.submit and closing.decision.side < 0 and closing.new_signal
    assert closing.cause is ExitCause.KILL_SWITCH and closing.order_signal_id is None


def test_a_tick_between_quotes_trades_only_on_a_quote_in_force():
    """A platform that ticks through a closed market hands the runner the quote's own time: an order
    against a quote older than the limit is refused, once per signal; a fresh quote lets it through."""
    runner = SignalRunner(SignalCoreConfig(risk=RiskLimits(max_quote_age_s=600.0)))
    buy = make_signal(signal_id="b", ts_ns=690 * S)
    stale = runner.step(700 * S, 59_990.0, 60_010.0, buy, 0.0, 100_000.0, quote_ts_ns=0)
    assert stale.verdict.rule is RiskRule.STALE_QUOTE and stale.first_refusal and not stale.submit
    assert not runner.step(701 * S, 59_990.0, 60_010.0, buy, 0.0, 100_000.0, quote_ts_ns=0).first_refusal
    assert runner.step(702 * S, 59_990.0, 60_010.0, buy, 0.0, 100_000.0, quote_ts_ns=650 * S).submit
    assert SignalRunner().step(10 * NANOS_PER_HOUR, 59_990.0, 60_010.0, make_signal(ts_ns=10 * NANOS_PER_HOUR), 0.0, 100_000.0).submit


def test_the_kill_switch_watches_the_strategy_s_equity_not_the_paper_inventory_s():
    """A paper account of 100,000 USDT and 1 BTC (the inventory a spot short sells) whose BTC falls from
    60,000 to 45,000 is down 9.4% while the flat strategy lost nothing: the switch stays off. The same
    fall with the strategy long 1 BTC more is its own loss of 15% of the 100,000 capital: it trips."""
    limits = RiskLimits(max_drawdown_fraction=0.10, max_position_qty=5.0, max_position_fraction=5.0)
    buy = make_signal(signal_id="b", ts_ns=2 * S)

    def account(cash: float, base: float, mid: float) -> float:
        return cash + base * mid

    flat = SignalRunner(SignalCoreConfig(risk=limits), starting=(100_000.0, 1.0))
    flat.step(0, 59_999.0, 60_001.0, None, 0.0, account(100_000.0, 1.0, 60_000.0))
    flat.step(1 * S, 44_999.0, 45_001.0, None, 0.0, account(100_000.0, 1.0, 45_000.0))
    assert flat.step(2 * S, 44_999.0, 45_001.0, buy, 0.0, account(100_000.0, 1.0, 45_000.0)).submit

    long = SignalRunner(SignalCoreConfig(risk=limits), starting=(100_000.0, 1.0))
    long.step(0, 59_999.0, 60_001.0, None, 1.0, account(40_000.0, 2.0, 60_000.0))
    long.step(1 * S, 44_999.0, 45_001.0, None, 1.0, account(40_000.0, 2.0, 45_000.0))
    closed = account(85_000.0, 1.0, 45_000.0)  # the loss taken: back to flat, 15,000 down
    assert long.step(2 * S, 44_999.0, 45_001.0, buy, 0.0, closed).verdict.rule is RiskRule.KILL_SWITCH

    whole = SignalRunner(SignalCoreConfig(risk=limits))  # given the account's equity as the strategy's: it trips
    whole.step(0, 59_999.0, 60_001.0, None, 0.0, account(100_000.0, 1.0, 60_000.0))
    whole.step(1 * S, 44_999.0, 45_001.0, None, 0.0, account(100_000.0, 1.0, 45_000.0) - 10_000.0)
    assert whole.step(2 * S, 44_999.0, 45_001.0, buy, 0.0, account(100_000.0, 1.0, 45_000.0)).verdict.rule is RiskRule.KILL_SWITCH


KILL = RiskLimits(max_drawdown_fraction=0.05)
BID, ASK = 59_990.0, 60_010.0


def opened(runner: SignalRunner, side: int = 1) -> tuple[float, Signal]:
    """The position a signal's order opens, filled at the deciding quote (``side`` -1: a short), and the signal."""
    signal = make_signal(signal_id="open", ts_ns=0) if side > 0 else make_signal(
        signal_id="open", ts_ns=0, q10=-0.03, q50=-0.01, q90=0.01, prob_up=0.3, side=SignalSide.SELL)
    step = runner.step(0, BID, ASK, signal, 0.0, 100_000.0)
    assert step.submit and step.cause is None
    qty = side * step.decision.order_qty
    runner.filled(0, side, abs(qty), ASK if side > 0 else BID, qty)
    return qty, signal


@pytest.mark.parametrize("own_barriers", [True, False])
@pytest.mark.parametrize("side", [1, -1])
def test_a_tripped_kill_switch_closes_the_open_position_and_the_strategy_stays_flat(own_barriers, side):
    runner = SignalRunner(SignalCoreConfig(risk=KILL), own_barriers=own_barriers)
    qty, held = opened(runner, side)
    assert not runner.step(1 * S, BID, ASK, held, qty, 99_000.0).submit  # 1% down: holds
    close = runner.step(2 * S, BID, ASK, held, qty, 94_000.0)  # 6% down from the peak: the switch trips and closes
    assert close.submit and close.cause is ExitCause.KILL_SWITCH and close.order_signal_id is None
    assert (close.decision.action, close.decision.side, close.decision.order_qty, close.decision.target_position) == (
        Action.CLOSE, -side, abs(qty), 0.0)
    assert close.price == (BID if side > 0 else ASK) and close.decision.reason == runner.gate.kill_reason
    assert close.journal_decision and not close.new_signal
    assert not runner.step(3 * S, BID, ASK, held, qty, 94_000.0, order_in_flight=True).submit  # one close at a time
    runner.filled(4 * S, -side, abs(qty), close.price, 0.0)
    again = runner.step(5 * S, BID, ASK, make_signal(signal_id="next", ts_ns=5 * S), 0.0, 94_000.0)
    assert again.verdict.rule is RiskRule.KILL_SWITCH and again.first_refusal and not again.submit  # flat from now on


def test_a_barrier_hit_on_the_quote_the_switch_trips_closes_as_the_barrier():
    runner = SignalRunner(SignalCoreConfig(risk=KILL, exits=ExitParams(stop_loss=0.01)))
    qty, _ = opened(runner)
    close = runner.step(1 * S, BID * 0.98, ASK * 0.98, None, qty, 94_000.0)
    assert close.submit and close.cause is ExitCause.STOP_LOSS


def test_a_refused_kill_switch_close_is_journaled_once_and_tried_again():
    """A closed market's stale quote refuses the close; it goes out on the first fresh quote. A close the
    platform refuses is not sent again, and the switch still refuses every opening order."""
    runner = SignalRunner(SignalCoreConfig(risk=RiskLimits(max_drawdown_fraction=0.05, max_quote_age_s=600.0)))
    qty, _ = opened(runner)
    stale = runner.step(1_000 * S, BID, ASK, None, qty, 94_000.0, quote_ts_ns=0)
    assert stale.cause is ExitCause.KILL_SWITCH and stale.verdict.rule is RiskRule.STALE_QUOTE and stale.first_refusal
    again = runner.step(1_001 * S, BID, ASK, None, qty, 94_000.0, quote_ts_ns=0)
    assert not again.submit and not again.first_refusal and not again.journal_decision
    fresh = runner.step(1_002 * S, BID, ASK, None, qty, 94_000.0, quote_ts_ns=1_002 * S)
    assert fresh.submit and fresh.cause is ExitCause.KILL_SWITCH
    runner.kill_close_refused()  # the venue refused it
    after = runner.step(1_003 * S, BID, ASK, make_signal(signal_id="n", ts_ns=1_003 * S), qty, 94_000.0)
    assert not after.submit and after.cause is None and after.decision.action is Action.HOLD  # already long: no close, no order
