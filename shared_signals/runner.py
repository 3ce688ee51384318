"""The per-quote loop both platforms run: signal in force → ``decide`` → risk gate, and, when
``SignalCoreConfig.exits`` is set, the barriers of the open position (``shared_signals.exits``).

Platforms adapt it and nothing more: they supply the quote, the candidate signal, their own
position, account equity and whether an order is in flight, act on the returned :class:`Step`, and report
their fills (:meth:`SignalRunner.filled`), from which the runner knows the entry the barriers are
measured from. The barriers come first, as a venue's resting exits fill on a quote before a strategy
sees it: a barrier hit closes the position by a market order through the same risk gate, and the
signal in force then (one new on that quote too) is spent. Then the kill switch: once the gate has
tripped (daily loss or drawdown of the strategy's equity) with a position open, the runner closes it
by a market order (cause ``kill_switch``, no signal's), and the gate refuses every order that does not
reduce from then on, so the strategy stays flat. Otherwise the signal decides.
"""

from __future__ import annotations

from typing import NamedTuple

from shared_signals.config import SignalCoreConfig
from shared_signals.contract.codes import ExitCause
from shared_signals.decision import Decision, MarketState, close_position
from shared_signals.decision import hold as hold_position
from shared_signals.exits import Barriers, OpenPosition, barriers_for, check_barriers, order_cause, time_limit_ns
from shared_signals.probability import target_pct
from shared_signals.risk import RiskGate, RiskRule, RiskVerdict
from shared_signals.rules import rule_for
from shared_signals.schema import Signal

SPENT_REASON = "a barrier closed the position in this signal's time: flat until a new signal"
"""The HOLD of a signal still in force after a barrier closed the position (``shared_signals.exits``)."""
BARRIER_CAUSES = frozenset({ExitCause.STOP_LOSS, ExitCause.TAKE_PROFIT, ExitCause.TIME_LIMIT, ExitCause.TRAILING_STOP})
NO_SIGNAL_CAUSES = BARRIER_CAUSES | {ExitCause.KILL_SWITCH}
"""Closes no signal asked for: their orders carry no signal_id."""


class Step(NamedTuple):
    """One quote's outcome; a NamedTuple because it is built on every quote."""

    signal: Signal | None
    new_signal: bool
    """True the first time this signal is in force: journal ``signal_received`` and the decision."""
    decision: Decision
    verdict: RiskVerdict | None
    """The gate's answer when the decision is an order, else None."""
    first_refusal: bool
    """True the first time this signal meets this refusal (this rule of the gate): journal it once,
    not on every quote, though the reason's figures move with the price."""
    price: float
    """The touch the order would trade at: ask for buys, bid for sells; for a HOLD, the mid when the
    hold was first decided (a repeated HOLD is the same step)."""
    cause: ExitCause | None = None
    """Why the order reduces or closes the position (the journal's ``code`` of its order records):
    ``signal`` for a signal's close or flip, a barrier, ``kill_switch``, ``end_of_run``; None for an
    order that opens or adds, or no order."""

    @property
    def order_signal_id(self) -> str | None:
        """The signal the order is for: None for a barrier's or the kill switch's close (no signal asked for it)."""
        if self.signal is None or self.cause in NO_SIGNAL_CAUSES:
            return None
        return self.signal.signal_id

    @property
    def submit(self) -> bool:
        return self.verdict is not None and self.verdict.approved

    @property
    def journal_decision(self) -> bool:
        """Whether the platforms journal this step's decision: a new signal's, an order sent, or a
        refusal met for the first time (a refused order is decided again on every quote)."""
        return self.new_signal or self.submit or self.first_refusal


class SignalRunner:
    """Holds the only state of the loop: the risk gate, the last signal seen, the refusals reported."""

    def __init__(self, config: SignalCoreConfig = SignalCoreConfig(), starting: tuple[float, float] | None = None, *,
                 own_barriers: bool = True) -> None:
        """``starting``: the paper account's starting (quote, base) balances. The platforms pass the
        account's equity; the gate then watches the strategy's own, the sizing capital plus what the
        account made since the start with its starting base marked at each mid, so a fall in the price
        of the inventory a spot short sells is not the strategy's loss (it would trip the kill switch on
        a falling market whatever the strategy did). None: the equity passed is the strategy's.
        ``own_barriers``: this runner closes by the barriers of ``config.exits``; False for a platform
        whose own orders do (Nautilus' bracket), which then reports each such close through
        :meth:`exited`."""
        self.config = config
        self.gate = RiskGate(config.risk)
        self._starting = starting
        self._capital = config.decision.sizing.capital
        self._decide = rule_for(config)
        self._params = config.decision
        self._tolerance_ns = config.loader.tolerance_ns
        self._last_signal_id: str | None = None
        self._refusals: set[tuple[str, str]] = set()
        self._refused_by_platform: set[str] = set()
        """Signals whose order the platform or its venue refused: no longer in force, since the same
        order sent again on every quote would meet the same refusal (e.g. a venue minimum)."""
        self._exits = config.exits
        self._tracks_entry = config.exits.enabled
        self._watch = self._tracks_entry and own_barriers
        self._flat_below = config.decision.sizing.min_qty / 2.0
        self._open: OpenPosition | None = None
        """The open position the barriers measure from (only with exits on): from the fills."""
        self._ordered: Signal | None = None
        """The signal of the last order sent: a fill that opens a position was its order."""
        self._spent: str | None = None
        """The signal in force when a barrier closed the position: a HOLD until another is in force,
        also one that came on the quote of the close (it was in force when the barrier closed)."""
        self._kill_close_refused = False
        """The platform refused the kill switch's close: the same close would meet the same refusal."""
        self._hold: tuple[Signal | None, float, bool, Step] | None = None
        """The last step that another price cannot change, and its inputs: a HOLD, or an order the
        tripped kill switch refused (it refuses every order that is not reducing, whatever its size,
        until the position or the signal changes). Most quotes repeat it exactly (same signal,
        position and flag), so it is returned again."""

    def step(
        self,
        t_ns: int,
        bid: float,
        ask: float,
        signal: Signal | None,
        position: float,
        equity: float,
        order_in_flight: bool = False,
        quote_ts_ns: int | None = None,
    ) -> Step:
        """One quote or tick. ``signal`` is the platform's candidate; it is in force unless it is from
        the future, older than the tolerance or refused by the platform. ``quote_ts_ns``: when the
        touch ``bid``/``ask`` was quoted, for a platform that acts between quotes (None: at ``t_ns``).
        Runs on every quote, so the checks are inlined."""
        if self._starting is not None:
            equity = self._capital + equity - self._starting[0] - self._starting[1] * (bid + ask) * 0.5
        if signal is not None and (
            signal.ts_ns > t_ns
            or t_ns - signal.ts_ns > self._tolerance_ns
            or (self._refused_by_platform and signal.signal_id in self._refused_by_platform)
        ):
            signal = None
        gate = self.gate
        gate.observe_equity(t_ns, equity)
        if not order_in_flight:
            if self._open is not None and self._watch:
                closing = self._barrier(t_ns, bid, ask, signal, position, equity, quote_ts_ns)
                if closing is not None:
                    return closing
            if gate.kill_reason is not None and not self._kill_close_refused and abs(position) >= self._flat_below:
                closing = self._kill_close(t_ns, bid, ask, signal, position, equity, quote_ts_ns)
                if closing is not None:
                    return closing
        hold = self._hold
        if hold is not None and hold[0] is signal and hold[1] == position and hold[2] == order_in_flight:
            return hold[3]
        new_signal = signal is not None and signal.signal_id != self._last_signal_id
        if new_signal:
            self._last_signal_id = signal.signal_id
        market = MarketState(t_ns, bid, ask)
        if signal is not None and signal.signal_id == self._spent:
            decision = hold_position(position, SPENT_REASON)
        else:
            decision = self._decide(signal, position, market, self._params, order_in_flight)
        if not decision.is_order:
            step = Step(signal, new_signal, decision, None, False, market.mid)
            if decision.price_independent:
                self._hold = (signal, position, order_in_flight, step._replace(new_signal=False))
            return step
        self._hold = None
        price = ask if decision.side > 0 else bid
        quote_age_ns = 0 if quote_ts_ns is None else t_ns - quote_ts_ns
        verdict = self.gate.check(t_ns, decision.side, decision.order_qty, price, position, equity, quote_age_ns)
        first_refusal = False
        if not verdict.approved:
            key = (signal.signal_id, verdict.rule)
            first_refusal = key not in self._refusals
            self._refusals.add(key)
        else:
            self._ordered = signal
        step = Step(signal, new_signal, decision, verdict, first_refusal, price, order_cause(decision.side, position, self._flat_below))
        if verdict.rule is RiskRule.KILL_SWITCH:
            self._hold = (signal, position, order_in_flight, step._replace(new_signal=False, first_refusal=False))
        return step

    def _barrier(
        self, t_ns: int, bid: float, ask: float, signal: Signal | None, position: float, equity: float,
        quote_ts_ns: int | None,
    ) -> Step | None:
        """The close of the barrier this quote hits, through the risk gate (None: none is hit). A
        refusal (a closed market's stale quote) is journaled once per barrier of a position; the
        barrier is checked again on the next quote."""
        cause, self._open = check_barriers(self._open, t_ns, bid, ask)
        if cause is None:
            return None
        decision = close_position(position, self._params.sizing, f"{cause} barrier", "already flat")
        if not decision.is_order:
            return None
        step = self._closing(t_ns, bid, ask, signal, position, equity, quote_ts_ns, decision, cause, f"{cause}@{self._open.entry_ns}")
        if step.submit:
            self._spent = None if signal is None else signal.signal_id
        return step

    def _kill_close(
        self, t_ns: int, bid: float, ask: float, signal: Signal | None, position: float, equity: float,
        quote_ts_ns: int | None,
    ) -> Step | None:
        """The tripped kill switch's close of the open position (None: it is below an order step). A
        refusal (a closed market's stale quote, the order rate) is journaled once; the close is tried
        again on the next quote."""
        decision = close_position(position, self._params.sizing, self.gate.kill_reason, "already flat")
        if not decision.is_order:
            return None
        return self._closing(t_ns, bid, ask, signal, position, equity, quote_ts_ns, decision, ExitCause.KILL_SWITCH, ExitCause.KILL_SWITCH)

    def _closing(
        self, t_ns: int, bid: float, ask: float, signal: Signal | None, position: float, equity: float,
        quote_ts_ns: int | None, decision: Decision, cause: ExitCause, refusal_key: str,
    ) -> Step:
        """A close no signal asked for (a barrier's, the kill switch's) through the risk gate; the signal
        in force on its quote is seen (its ``signal_received`` is journaled) but does not decide."""
        new_signal = signal is not None and signal.signal_id != self._last_signal_id
        if new_signal:
            self._last_signal_id = signal.signal_id
        price = ask if decision.side > 0 else bid
        quote_age_ns = 0 if quote_ts_ns is None else t_ns - quote_ts_ns
        verdict = self.gate.check(t_ns, decision.side, decision.order_qty, price, position, equity, quote_age_ns)
        first_refusal = False
        if verdict.approved:
            self._ordered = None
            self._hold = None
        else:
            key = (refusal_key, verdict.rule)
            first_refusal = key not in self._refusals
            self._refusals.add(key)
        return Step(signal, new_signal, decision, verdict, first_refusal, price, cause)

    def filled(self, t_ns: int, side: int, qty: float, price: float, position_after: float) -> bool:
        """One fill of the platform's orders, ``position_after`` the platform's position once it is
        applied: with exits on, the entry the barriers measure from. A fill that opens a position
        (from flat, or through zero) sets the entry at its price and time, with the barriers of the
        signal whose order it was; one that adds averages the entry price; a fill to flat ends it.
        True when this fill opened a position (exits on)."""
        if not self._tracks_entry:
            return False
        flat = self._flat_below
        if abs(position_after) < flat:
            self._open = None
            return False
        before = position_after - side * qty
        direction = 1 if position_after > 0 else -1
        if abs(before) < flat or before * direction < 0:
            self._open = OpenPosition(direction, price, t_ns, self._barriers_of(self._ordered))
            return True
        if abs(position_after) > abs(before) and self._open is not None:
            entry = self._open.entry_price
            self._open = self._open._replace(entry_price=(abs(before) * entry + qty * price) / abs(position_after))
        return False

    def _barriers_of(self, signal: Signal | None) -> Barriers:
        """The barriers of a position ``signal``'s order opened: its ``target_pct`` scales them when
        the exits say so (only a signal's order opens a position; closes never do)."""
        exits = self._exits
        if not exits.scale_by_target_pct or signal is None:
            return barriers_for(exits, None)
        return barriers_for(exits, float(target_pct(signal.q10, signal.q50, signal.q90, signal.tier_confidence, self.config.probability)))

    def exited(self, signal: Signal | None) -> None:
        """The platform's own barrier order closed the position (``own_barriers=False``): ``signal``,
        the candidate in force at the close's market time, stays spent, as when this runner closes by a
        barrier (a venue fills its resting exit on a quote before the strategy sees that quote)."""
        self._spent = None if signal is None else signal.signal_id
        self._ordered = None
        self._hold = None

    @property
    def open_position(self) -> OpenPosition | None:
        """The open position's entry and barriers (with exits on; None when flat or exits are off)."""
        return self._open

    def barrier_due_ns(self) -> int | None:
        """When the open position's time limit falls due (market time), for a platform whose clock
        must stop then; None without one."""
        if self._open is None or not self._watch:
            return None
        return time_limit_ns(self._open)

    def refused_by_platform(self, signal_id: str) -> None:
        """The platform (its own risk checks or its venue) refused this signal's order."""
        self._refused_by_platform.add(signal_id)

    def kill_close_refused(self) -> None:
        """The platform or its venue refused the kill switch's close: it is not sent again, as the same
        order would meet the same refusal (the position stays open; the gate still refuses every order
        that does not reduce it)."""
        self._kill_close_refused = True

    def close(
        self, t_ns: int, bid: float, ask: float, position: float, equity: float, reason: str,
        cause: ExitCause = ExitCause.END_OF_RUN, quote_ts_ns: int | None = None,
    ) -> Step:
        """The platform's own close (at stop, ``end_of_run``; or by its own timer, ``time_limit``): back
        to flat through the same risk gate, or a HOLD when already flat (within half an order step).
        ``quote_ts_ns``: when ``bid``/``ask`` was quoted (None: at ``t_ns``)."""
        if self._starting is not None:
            equity = self._capital + equity - self._starting[0] - self._starting[1] * (bid + ask) * 0.5
        decision = close_position(position, self._params.sizing, reason, "already flat")
        if not decision.is_order:
            return Step(None, False, decision, None, False, (bid + ask) * 0.5)
        price = ask if decision.side > 0 else bid
        quote_age_ns = 0 if quote_ts_ns is None else t_ns - quote_ts_ns
        verdict = self.gate.check(t_ns, decision.side, decision.order_qty, price, position, equity, quote_age_ns)
        if verdict.approved:
            self._ordered = None
        return Step(None, False, decision, verdict, not verdict.approved, price, cause)
