"""The per-quote loop both platforms run: signal in force → ``decide`` → risk gate.

Platforms adapt it and nothing more: they supply the quote, the candidate signal, their own
position, account equity and whether an order is in flight, and act on the returned :class:`Step`.
"""

from __future__ import annotations

from typing import NamedTuple

from shared_signals.config import SignalCoreConfig
from shared_signals.decision import Decision, MarketState, close_position
from shared_signals.risk import RiskGate, RiskRule, RiskVerdict
from shared_signals.rules import rule_for
from shared_signals.schema import Signal


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

    def __init__(self, config: SignalCoreConfig = SignalCoreConfig(), starting: tuple[float, float] | None = None) -> None:
        """``starting``: the paper account's starting (quote, base) balances. The platforms pass the
        account's equity; the gate then watches the strategy's own, the sizing capital plus what the
        account made since the start with its starting base marked at each mid, so a fall in the price
        of the inventory a spot short sells is not the strategy's loss (it would trip the kill switch on
        a falling market whatever the strategy did). None: the equity passed is the strategy's."""
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
        hold = self._hold
        if hold is not None and hold[0] is signal and hold[1] == position and hold[2] == order_in_flight:
            self.gate.observe_equity(t_ns, equity)
            return hold[3]
        new_signal = signal is not None and signal.signal_id != self._last_signal_id
        if new_signal:
            self._last_signal_id = signal.signal_id
        market = MarketState(t_ns, bid, ask)
        decision = self._decide(signal, position, market, self._params, order_in_flight)
        if not decision.is_order:
            self.gate.observe_equity(t_ns, equity)
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
        step = Step(signal, new_signal, decision, verdict, first_refusal, price)
        if verdict.rule is RiskRule.KILL_SWITCH:
            self._hold = (signal, position, order_in_flight, step._replace(new_signal=False, first_refusal=False))
        return step

    def refused_by_platform(self, signal_id: str) -> None:
        """The platform (its own risk checks or its venue) refused this signal's order."""
        self._refused_by_platform.add(signal_id)

    def close(self, t_ns: int, bid: float, ask: float, position: float, equity: float, reason: str) -> Step:
        """The platform's own close at stop: back to flat through the same risk gate, or a HOLD when
        already flat (within half an order step)."""
        if self._starting is not None:
            equity = self._capital + equity - self._starting[0] - self._starting[1] * (bid + ask) * 0.5
        decision = close_position(position, self._params.sizing, reason, "already flat")
        if not decision.is_order:
            return Step(None, False, decision, None, False, (bid + ask) * 0.5)
        price = ask if decision.side > 0 else bid
        verdict = self.gate.check(t_ns, decision.side, decision.order_qty, price, position, equity)
        return Step(None, False, decision, verdict, not verdict.approved, price)
