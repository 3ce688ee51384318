"""What the journal must know of each executor and each order, kept between the controller (which
creates and stops executors) and the strategy (whose ``buy``/``sell`` the executors call).

An executor's order is journaled ``order_submitted`` once its cause is known: the executor sets its
``close_type`` only after ``place_order`` returns, so the record is written on the next tick or order
event (stamped with the placement's own wall and market time), and any event of that order meanwhile
waits behind it. Closes carry their :class:`ExitCause`: the PositionExecutor's own barrier, or why the
controller stopped it (a signal), or the end of the run (the orchestrator's own stop).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hummingbot.strategy_v2.models.executors import CloseType

from shared_signals.contract.codes import ExitCause
from shared_signals.contract.steps import StepJournal
from shared_signals.decision import OrderSide

CAUSE_OF: dict[CloseType, ExitCause] = {
    CloseType.STOP_LOSS: ExitCause.STOP_LOSS,
    CloseType.TAKE_PROFIT: ExitCause.TAKE_PROFIT,
    CloseType.TIME_LIMIT: ExitCause.TIME_LIMIT,
    CloseType.TRAILING_STOP: ExitCause.TRAILING_STOP,
}
"""The barriers' close types; ``EARLY_STOP`` is the controller's stop or the run's end."""


@dataclass
class PlacedOrder:
    order_id: str
    side: OrderSide
    qty: float
    price: float
    t_ns: int
    wall_ns: int
    signal_id: str | None = None
    code: ExitCause | None = None
    written: bool = False
    waiting: list[Callable[[PlacedOrder], None]] = field(default_factory=list)


class OrderLedger:
    """Executors' signals and stop causes, and their orders until journaled."""

    def __init__(self, journal: StepJournal, executors: Callable[[], Iterable]) -> None:
        """``executors``: the orchestrator's live executor objects."""
        self._journal = journal
        self._executors = executors
        self.opened_by: dict[str, str] = {}
        """Executor id → the signal whose decision created it."""
        self.stopped_by: dict[str, tuple[ExitCause, str | None]] = {}
        """Executor id → why the controller stopped it, and the signal that did."""
        self._orders: dict[str, PlacedOrder] = {}

    def placed(self, order_id: str, side: OrderSide, qty: float, price: float, t_ns: int) -> None:
        self._orders[order_id] = PlacedOrder(order_id, side, qty, price, t_ns, time.time_ns())

    def order(self, order_id: str) -> PlacedOrder | None:
        return self._orders.get(order_id)

    def after_submitted(self, order_id: str, write: Callable[[PlacedOrder | None], None]) -> None:
        """``write`` now if the order's ``order_submitted`` is written (or the order is not the run's), else right after it."""
        self.flush()
        order = self._orders.get(order_id)
        if order is None or order.written:
            write(order)
        else:
            order.waiting.append(write)

    def flush(self, final: bool = False) -> None:
        """Journals every placed order whose cause is now known (``final``: every one, cause or not)."""
        for order in self._orders.values():
            if order.written:
                continue
            if not self._resolve(order) and not final:
                continue
            order.written = True
            self._journal.submitted(order.t_ns, order.signal_id, order.side, order.qty, order.price, order.wall_ns, order.code)
            for write in order.waiting:
                write(order)
            order.waiting.clear()

    def _resolve(self, order: PlacedOrder) -> bool:
        """Finds the executor that placed the order: its opening order, or a close whose cause is set."""
        for executor in self._executors():
            if order.order_id not in executor.get_custom_info()["order_ids"]:
                continue
            executor_id = executor.config.id
            opening = (executor.config.side.name == "BUY") == (order.side is OrderSide.BUY)
            if opening:
                order.signal_id = self.opened_by.get(executor_id)
                return True
            if executor.close_type is None:
                return False
            cause = CAUSE_OF.get(executor.close_type)
            if cause is not None:  # a barrier's close belongs to no signal, as on every platform
                order.code, order.signal_id = cause, None
            else:
                order.code, order.signal_id = self.stopped_by.get(executor_id, (ExitCause.END_OF_RUN, None))
            return True
        return False
