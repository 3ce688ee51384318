"""The AI-livestream controller: a ``DirectionalTradingControllerBase`` that trades the provider's MQTT
signals through ``PositionExecutor``s, to the public design of Hummingbot's
``controllers/directional_trading/ai_livestream.py`` (not in the wheel): topic
``hbot/predictions/<pair>/ML_SIGNALS``, message ``{"probabilities": [short, neutral, long], "target_pct": x,
"timestamp": t}``, and with ``exits.scale_by_target_pct`` every price barrier a multiple of the opening
signal's ``target_pct`` (``TripleBarrierConfig.new_instance_with_adjusted_volatility``, time limit unscaled).

What differs from upstream's defaults, so every column trades the same: spot, leverage 1, ONEWAY, one
executor at a time, market orders, and the direction and quantity from the shared core (the run's
decision rule, sizing and risk gate through :class:`SignalRunner`) instead of ``total_amount_quote / mid /
max_executors_per_side``. The controller only adapts: a decision to open becomes a ``CreateExecutorAction``
(the executor places the order and watches its barriers), a decision against the open position (a flip,
or a close) a ``StopExecutorAction`` (the executor closes by market order); a flip's new side opens once
the executor is done. After a barrier close the signal that opened the position is spent: the position
stays flat until the next signal that opens one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from hummingbot.core.data_type.common import OrderType, PositionMode, TradeType
from hummingbot.strategy_v2.controllers.directional_trading_controller_base import (
    DirectionalTradingControllerBase,
    DirectionalTradingControllerConfigBase,
)
from hummingbot.strategy_v2.executors.data_types import ConnectorPair
from hummingbot.strategy_v2.executors.position_executor.data_types import PositionExecutorConfig, TrailingStop
from hummingbot.strategy_v2.models.executor_actions import CreateExecutorAction, ExecutorAction, StopExecutorAction

from poc_hummingbot_v2.intake import SignalIntake
from poc_hummingbot_v2.ledger import CAUSE_OF, OrderLedger
from shared_signals.config import ExitParams
from shared_signals.contract.codes import ErrorKind, ExitCause, VenueRefusal
from shared_signals.contract.steps import StepJournal
from shared_signals.decision import OrderSide
from shared_signals.probability import target_pct
from shared_signals.runner import SignalRunner

log = logging.getLogger(__name__)

CONTROLLER_ID = "q50-ai-livestream"


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def controller_config(pair: str, connector_name: str, exits: ExitParams, speed: float) -> AiLivestreamControllerConfig:
    """The controller's configuration: the core's barriers (the time limit in the wall seconds the executors
    count, at least one), spot, leverage 1, ONEWAY, one executor, every order by market."""
    trailing = None
    if exits.trailing_stop_delta is not None:
        trailing = TrailingStop(activation_price=_decimal(exits.trailing_stop_activation), trailing_delta=_decimal(exits.trailing_stop_delta))
    return AiLivestreamControllerConfig(
        id=CONTROLLER_ID, connector_name=connector_name, trading_pair=pair, leverage=1, position_mode=PositionMode.ONEWAY,
        max_executors_per_side=1, stop_loss=_decimal(exits.stop_loss), take_profit=_decimal(exits.take_profit),
        time_limit=None if exits.time_limit_s is None else max(1, round(exits.time_limit_s / speed)),
        trailing_stop=trailing, take_profit_order_type=OrderType.MARKET,
    )


class AiLivestreamControllerConfig(DirectionalTradingControllerConfigBase):
    controller_name: str = "q50_ai_livestream"


@dataclass
class ControllerCore:
    """What the controller adapts: the shared runner and journal, the signal intake, the venue's state."""

    runner: SignalRunner
    journal: StepJournal
    intake: SignalIntake
    ledger: OrderLedger
    connector: object
    market_ns: Callable[[float], int]
    quote_ns: Callable[[], int | None]
    """When the quote now in the book was quoted."""
    book_ns: Callable[[], int]
    """When the clock last ticked (the feeder set the book then): the controller decides between ticks on
    that tick's book, so a quote's age is taken at that tick, as for a platform that decides on ticks."""
    starting_base: float
    base: str
    quote: str


class AiLivestreamController(DirectionalTradingControllerBase):
    """Decides each second, as upstream's controllers do, on the signal in force and the executor's state."""

    def __init__(self, config: AiLivestreamControllerConfig, *args, **kwargs) -> None:
        super().__init__(config, *args, **kwargs)
        # The base asks the market data provider for a rate task that builds a connector by name every
        # 60 s (a network call for a real exchange name): this controller reads the paper exchange's book.
        self.market_data_provider.remove_rate_sources([ConnectorPair(connector_name=config.connector_name, trading_pair=config.trading_pair)])
        self.core: ControllerCore | None = None
        self._awaiting: tuple[str, bool] | None = None
        """The executor an action was sent for and whether it was a stop, until the orchestrator reports
        it trading (a create) or done (either)."""
        self._spent: set[str] = set()
        self._seen_done: set[str] = set()
        self._count = 0
        self.processed_data = {"signal": 0, "features": pd.DataFrame(), "actions": []}

    def attach(self, core: ControllerCore) -> None:
        self.core = core

    async def update_processed_data(self) -> None:
        actions: list[ExecutorAction] = []
        try:
            actions = self._decide()
        except Exception as exc:  # noqa: BLE001 - one failed decision is journaled, the loop goes on
            log.error("controller step failed", exc_info=True)
            self.core.journal.error(None, ErrorKind.HANDLER_FAILED, f"controller step failed: {type(exc).__name__}: {exc}", once=True)
        self.processed_data = {"signal": self.processed_data["signal"], "features": pd.DataFrame(), "actions": actions}

    def create_actions_proposal(self) -> list[ExecutorAction]:
        return [a for a in self.processed_data["actions"] if isinstance(a, CreateExecutorAction)]

    def stop_actions_proposal(self) -> list[ExecutorAction]:
        return [a for a in self.processed_data["actions"] if isinstance(a, StopExecutorAction)]

    # ---- one decision ---------------------------------------------------------------------------

    def _decide(self) -> list[ExecutorAction]:
        core = self.core
        t_ns = core.market_ns(time.time())
        signal = core.intake.take(t_ns)
        self._note_done_executors()
        if signal is not None and signal.signal_id in self._spent:
            signal = None
        connector = core.connector
        pair = self.config.trading_pair
        try:
            bid = float(connector.get_price(pair, False))
            ask = float(connector.get_price(pair, True))
        except EnvironmentError:
            return []  # no quote yet
        base = float(connector.get_balance(core.base))
        position = base - core.starting_base
        equity = float(connector.get_balance(core.quote)) + base * (bid + ask) * 0.5
        live = self._live_executor()
        in_flight = self._awaiting is not None or (live is not None and not live.is_trading)
        quote_ns = core.quote_ns()
        quote_ns = None if quote_ns is None else quote_ns + max(0, t_ns - core.book_ns())
        step = core.runner.step(t_ns, bid, ask, signal, position, equity, in_flight, quote_ns)
        self.processed_data["signal"] = int(step.decision.target_position > 0) - int(step.decision.target_position < 0)
        if not (step.new_signal or step.verdict is not None) or not core.journal.step(t_ns, step):
            return []
        decision = step.decision
        if live is not None:
            if (live.config.side == TradeType.BUY) == (decision.side is OrderSide.BUY):
                return []
            core.ledger.stopped_by[live.id] = (step.cause or ExitCause.SIGNAL, step.order_signal_id)  # a signal's, or the kill switch's
            self._awaiting = (live.id, True)
            return [StopExecutorAction(controller_id=self.config.id, executor_id=live.id, keep_position=False)]
        if decision.target_position == 0:
            # A close with no executor holding the position: V2 closes executors' positions only.
            signal_id = step.order_signal_id
            if signal_id is None:
                core.runner.kill_close_refused()
            else:
                core.runner.refused_by_platform(signal_id)
            core.journal.rejected(t_ns, signal_id, decision.side, decision.order_qty, step.price,
                                  VenueRefusal.PLATFORM_DENIED, "no executor holds this position: V2 closes executors' positions only")
            return []
        amount = connector.quantize_order_amount(pair, Decimal(repr(decision.order_qty)))
        if amount <= 0:
            core.journal.rejected(t_ns, step.signal.signal_id, decision.side, decision.order_qty, step.price,
                                  VenueRefusal.ROUNDS_TO_ZERO, "venue quantization rounds the order to zero")
            return []
        return [self._open(step.signal, decision.side, amount, step.price)]

    def _open(self, signal, side: OrderSide, amount: Decimal, price: float) -> CreateExecutorAction:
        barriers = self.config.triple_barrier_config
        if self.core.runner.config.exits.scale_by_target_pct:
            factor = float(target_pct(signal.q10, signal.q50, signal.q90, signal.tier_confidence, self.core.runner.config.probability))
            barriers = barriers.new_instance_with_adjusted_volatility(volatility_factor=factor)
        self._count += 1
        executor_id = f"{signal.signal_id}-{self._count}"
        self.core.ledger.opened_by[executor_id] = signal.signal_id
        self._awaiting = (executor_id, False)
        config = PositionExecutorConfig(
            id=executor_id, timestamp=self.market_data_provider.time(), connector_name=self.config.connector_name,
            trading_pair=self.config.trading_pair, side=TradeType.BUY if side is OrderSide.BUY else TradeType.SELL,
            entry_price=Decimal(repr(price)), amount=amount, triple_barrier_config=barriers, leverage=1,
        )
        return CreateExecutorAction(controller_id=self.config.id, executor_config=config)

    def _live_executor(self):
        """The executor not yet done (one at a time), as the orchestrator last reported it."""
        return next((e for e in self.executors_info if not e.is_done), None)

    def _note_done_executors(self) -> None:
        """Clears the action in flight once the orchestrator shows its effect; a barrier close spends its signal."""
        for executor in self.executors_info:
            awaiting = self._awaiting
            if awaiting is not None and executor.id == awaiting[0] and (executor.is_done or (executor.is_trading and not awaiting[1])):
                self._awaiting = None
            if executor.is_done and executor.id not in self._seen_done:
                self._seen_done.add(executor.id)
                if executor.close_type in CAUSE_OF and executor.id in self.core.ledger.opened_by:
                    self._spent.add(self.core.ledger.opened_by[executor.id])
