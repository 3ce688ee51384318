"""The V2 strategy: ``StrategyV2Base`` with the AI-livestream controller, its real ``ExecutorOrchestrator``
and ``PositionExecutor``s. Its own part is the journal: the executors' orders go through its ``buy`` and
``sell`` (``order_submitted``, by :class:`OrderLedger` once their cause is known) and the paper exchange's
events reach it as they reach every Hummingbot strategy (``order_accepted``, ``order_filled``,
``order_rejected``). The controller proposes every executor action; the strategy proposes none.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from hummingbot.core.data_type.common import PositionAction, TradeType
from hummingbot.strategy.strategy_v2_base import StrategyV2Base

from poc_hummingbot_v2.ledger import OrderLedger, PlacedOrder
from shared_signals.contract.codes import ErrorKind, VenueRefusal
from shared_signals.contract.steps import StepJournal
from shared_signals.decision import OrderSide

log = logging.getLogger(__name__)

FILL_QTY_DECIMALS = 10
"""Fill amounts come back float-derived (0.1000000000000000055…): 10 decimals restore the ordered quantity."""
NO_PRICE = Decimal("NaN")


class AiLivestreamStrategy(StrategyV2Base):
    @classmethod
    def logger(cls) -> logging.Logger:
        return log

    def __init__(
        self, connectors: dict, pair: str, journal: StepJournal, market_ns: Callable[[float], int],
        starting_base: float, heartbeat_s: float,
    ) -> None:
        super().__init__(connectors)
        self._connector = next(iter(connectors.values()))
        self._pair = pair
        self._base, self._quote = pair.split("-")
        self._journal = journal
        self._market_ns = market_ns
        self._starting_base = starting_base
        self._heartbeat_s = heartbeat_s
        self._next_heartbeat = 0.0
        self.ledger = OrderLedger(journal, self._executors)

    def _executors(self):
        return [e for executors in self.executor_orchestrator.active_executors.values() for e in executors]

    def create_actions_proposal(self) -> list:
        return []

    def stop_actions_proposal(self) -> list:
        return []

    def tick(self, timestamp: float) -> None:
        try:
            super().tick(timestamp)
            self.ledger.flush()
            self._heartbeat(self._market_ns(timestamp))
        except Exception as exc:  # noqa: BLE001 - one bad tick is journaled, the clock goes on
            self.report_error(ErrorKind.HANDLER_FAILED, f"tick failed: {type(exc).__name__}: {exc}")

    # ---- the executors' orders -----------------------------------------------------------------

    def buy(self, connector_name, trading_pair, amount, order_type, price=NO_PRICE, position_action=PositionAction.OPEN) -> str:
        order_id = super().buy(connector_name, trading_pair, amount, order_type, price, position_action)
        self._placed(order_id, OrderSide.BUY, amount)
        return order_id

    def sell(self, connector_name, trading_pair, amount, order_type, price=NO_PRICE, position_action=PositionAction.OPEN) -> str:
        order_id = super().sell(connector_name, trading_pair, amount, order_type, price, position_action)
        self._placed(order_id, OrderSide.SELL, amount)
        return order_id

    def _placed(self, order_id: str, side: OrderSide, amount: Decimal) -> None:
        touch = float(self._connector.get_price(self._pair, side is OrderSide.BUY))
        qty = float(self._connector.quantize_order_amount(self._pair, amount))
        self.ledger.placed(order_id, side, qty, touch, self._market_ns(time.time()))

    # ---- the paper exchange's events -------------------------------------------------------------

    def did_create_buy_order(self, event) -> None:
        self._accepted(event)

    def did_create_sell_order(self, event) -> None:
        self._accepted(event)

    def _accepted(self, event) -> None:
        t_ns = self._market_ns(time.time())

        def write(order: PlacedOrder | None) -> None:
            if order is not None:
                self._journal.accepted(t_ns, order.signal_id, order.side, order.qty)

        self.ledger.after_submitted(event.order_id, write)

    def did_fill_order(self, event) -> None:
        t_ns = self._market_ns(event.timestamp)
        side = OrderSide.BUY if event.trade_type is TradeType.BUY else OrderSide.SELL
        qty, price, position, fee = round(float(event.amount), FILL_QTY_DECIMALS), float(event.price), self.position(), self._fee(event)

        def write(order: PlacedOrder | None) -> None:
            self._journal.filled(t_ns, order.signal_id if order else None, side, qty, price, position, fee, order.code if order else None)

        self.ledger.after_submitted(event.order_id, write)

    def did_fail_order(self, event) -> None:
        self._refused(event, VenueRefusal.VENUE_FAILED, "venue failed the order (MarketOrderFailureEvent, e.g. insufficient balance)")

    def did_cancel_order(self, event) -> None:
        self._refused(event, VenueRefusal.VENUE_CANCELLED, "venue cancelled the order")

    def _refused(self, event, code: VenueRefusal, reason: str) -> None:
        t_ns = self._market_ns(event.timestamp)

        def write(order: PlacedOrder | None) -> None:
            self._journal.rejected(t_ns, order.signal_id if order else None, order.side if order else None,
                                   order.qty if order else None, None, code, reason)

        self.ledger.after_submitted(event.order_id, write)

    def _fee(self, event) -> float | None:
        try:
            return float(event.trade_fee.fee_amount_in_token(self._pair, event.price, event.amount, self._quote))
        except Exception:  # noqa: BLE001 - a fee in a third token needs a rate oracle (network): unknown
            return None

    # ---- position, heartbeat, errors -----------------------------------------------------------

    def position(self) -> float:
        """Signed base position: the connector's base balance minus the starting inventory."""
        return float(self._connector.get_balance(self._base)) - self._starting_base

    def _heartbeat(self, t_ns: int) -> None:
        now = time.monotonic()
        if now >= self._next_heartbeat:
            self._next_heartbeat = now + self._heartbeat_s
            self._journal.heartbeat(t_ns, self.position())

    def final_heartbeat(self, t_ns: int) -> None:
        self.ledger.flush(final=True)
        self._next_heartbeat = 0.0
        self._heartbeat(t_ns)

    def report_error(self, code: ErrorKind, reason: str, t_ns: int | None = None) -> None:
        log.error(reason, exc_info=sys.exc_info()[0] is not None)
        self._journal.error(t_ns, code, reason)
