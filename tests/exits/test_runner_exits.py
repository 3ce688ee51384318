"""The shared runner with exits, step by step by hand: the entry comes from the fills, a barrier closes
only when the signal keeps the position, the signal in force at the close is spent, a refused close is
tried again, and every order carries its cause."""

from __future__ import annotations

import pytest

from shared_signals.config import NANOS_PER_SECOND, ExitParams, SignalCoreConfig
from shared_signals.contract.codes import ExitCause
from shared_signals.decision import Action
from shared_signals.risk import RiskRule
from shared_signals.runner import SPENT_REASON, SignalRunner
from tests.conftest import make_signal

S = NANOS_PER_SECOND
EQUITY = 100_000.0
P = 500.0
"""Prices are multiples of this (the entry 100 P = 50,000 USDT: an order within the risk limits)."""
BUY = make_signal(signal_id="BTCUSDT:0", ts_ns=0)
SELL = make_signal(signal_id="BTCUSDT:60", ts_ns=60 * S, q10=-0.03, q50=-0.01, q90=0.01, prob_up=0.3, side=0)


def runner(own_barriers: bool = True, **exits) -> SignalRunner:
    return SignalRunner(SignalCoreConfig(exits=ExitParams(**exits)), own_barriers=own_barriers)


def open_long(r: SignalRunner, t: int = 1 * S, ask: float = 100.0 * P) -> float:
    step = r.step(t, ask - 0.1 * P, ask, BUY, 0.0, EQUITY)
    assert step.submit and step.decision.action is Action.BUY and step.cause is None
    qty = step.decision.order_qty
    assert r.filled(t, 1, qty, ask, qty) is True
    assert r.open_position.entry_price == ask and r.open_position.entry_ns == t
    return qty


def test_a_stop_loss_closes_with_no_signal_and_the_signal_in_force_is_then_spent():
    r = runner(stop_loss=0.01)
    qty = open_long(r)
    assert not r.step(2 * S, 99.01 * P, 99.1 * P, BUY, qty, EQUITY).submit  # -0.99%: holds
    close = r.step(3 * S, 99.0 * P, 99.1 * P, BUY, qty, EQUITY)
    assert close.submit and close.cause is ExitCause.STOP_LOSS and close.order_signal_id is None
    assert (close.decision.action, close.decision.side, close.decision.order_qty, close.price) == (Action.CLOSE, -1, qty, 99.0 * P)
    assert r.filled(3 * S, -1, qty, 99.0 * P, 0.0) is False and r.open_position is None
    again = r.step(4 * S, 100.0 * P, 100.1 * P, BUY, 0.0, EQUITY)
    assert not again.submit and again.decision.reason == SPENT_REASON  # the same signal does not reopen
    fresh = make_signal(signal_id="BTCUSDT:5", ts_ns=5 * S)
    assert r.step(5 * S, 100.0 * P, 100.1 * P, fresh, 0.0, EQUITY).submit  # a new signal opens


def test_a_barrier_comes_before_the_signal_of_its_quote_which_is_then_spent():
    r = runner(stop_loss=0.01)
    qty = open_long(r)
    close = r.step(60 * S, 90.0 * P, 90.1 * P, SELL, qty, EQUITY)  # -10% on the quote a sell signal comes
    assert close.submit and close.cause is ExitCause.STOP_LOSS and close.new_signal  # signal_received is journaled
    assert close.decision.order_qty == qty and close.order_signal_id is None
    r.filled(60 * S, -1, qty, 90.0 * P, 0.0)
    assert r.step(61 * S, 90.0 * P, 90.1 * P, SELL, 0.0, EQUITY).decision.reason == SPENT_REASON


def test_a_signal_s_flip_carries_the_cause_signal_and_makes_a_new_entry():
    r = runner(stop_loss=0.2)
    qty = open_long(r)
    flip = r.step(60 * S, 90.0 * P, 90.1 * P, SELL, qty, EQUITY)
    assert flip.submit and flip.decision.action is Action.SELL and flip.cause is ExitCause.SIGNAL
    assert flip.order_signal_id == SELL.signal_id and flip.decision.order_qty > qty
    after = qty - flip.decision.order_qty
    assert r.filled(60 * S, -1, flip.decision.order_qty, 90.0 * P, after) is True  # through zero: a new entry
    assert (r.open_position.side, r.open_position.entry_price) == (-1, 90.0 * P)


def test_a_close_refused_in_a_closed_market_is_journaled_once_and_tried_again():
    r = runner(time_limit_s=30)
    qty = open_long(r)
    stale = 4000 * S  # an hour's limit: the quote of 1 s is stale at 4001 s
    first = r.step(stale, 99.9 * P, 100.0 * P, None, qty, EQUITY, quote_ts_ns=1 * S)
    assert first.cause is ExitCause.TIME_LIMIT and not first.submit
    assert first.verdict.rule is RiskRule.STALE_QUOTE and first.first_refusal
    second = r.step(stale + S, 99.9 * P, 100.0 * P, None, qty, EQUITY, quote_ts_ns=1 * S)
    assert second.verdict.rule is RiskRule.STALE_QUOTE and not second.first_refusal
    assert r.step(stale + 2 * S, 99.9 * P, 100.0 * P, None, qty, EQUITY).submit


def test_no_barrier_while_an_order_is_in_flight_and_a_trailing_stop_moves_on_quotes():
    r = runner(trailing_stop_activation=0.01, trailing_stop_delta=0.005)
    qty = open_long(r)
    assert not r.step(2 * S, 102.0 * P, 102.1 * P, BUY, qty, EQUITY, order_in_flight=True).submit
    assert r.open_position.trailing_trigger is None  # not looked at while in flight
    assert not r.step(3 * S, 102.0 * P, 102.1 * P, BUY, qty, EQUITY).submit
    assert r.open_position.trailing_trigger == pytest.approx(0.015)
    close = r.step(4 * S, 101.49 * P, 101.6 * P, BUY, qty, EQUITY)
    assert close.submit and close.cause is ExitCause.TRAILING_STOP


def test_a_platform_s_own_barriers_leave_the_closing_to_it():
    r = runner(own_barriers=False, stop_loss=0.01)
    qty = open_long(r)
    assert not r.step(2 * S, 50.0 * P, 50.1 * P, BUY, qty, EQUITY).submit and r.barrier_due_ns() is None
    r.filled(3 * S, -1, qty, 99.0 * P, 0.0)
    r.exited(BUY)
    assert r.step(4 * S, 100.0 * P, 100.1 * P, BUY, 0.0, EQUITY).decision.reason == SPENT_REASON


def test_an_added_fill_averages_the_entry_and_the_close_at_stop_is_end_of_run():
    r = runner(time_limit_s=10)
    r.step(1 * S, 99.9 * P, 100.0 * P, BUY, 0.0, EQUITY)
    assert r.filled(1 * S, 1, 0.01, 100.0 * P, 0.01) is True
    assert r.filled(2 * S, 1, 0.03, 104.0 * P, 0.04) is False
    assert r.open_position.entry_price == 103.0 * P and r.barrier_due_ns() == 11 * S  # time from the first fill
    step = r.close(5 * S, 99.9 * P, 100.0 * P, 0.04, EQUITY, "stop")
    assert step.submit and step.cause is ExitCause.END_OF_RUN


def test_without_exits_nothing_is_tracked_or_closed():
    r = SignalRunner()
    step = r.step(1 * S, 99.9 * P, 100.0 * P, BUY, 0.0, EQUITY)
    assert r.filled(1 * S, 1, step.decision.order_qty, 100.0 * P, step.decision.order_qty) is False
    assert r.open_position is None and r.barrier_due_ns() is None
    assert not r.step(2 * S, 1.0 * P, 1.1 * P, BUY, step.decision.order_qty, EQUITY).submit
