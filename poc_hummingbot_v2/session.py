"""The Hummingbot V2 parts of one live run, built inside its asyncio loop (``StrategyV2Base`` starts its
action listener as a task): the paper exchange with its adapter, the quote feeder, ``MarketsRecorder`` on
sqlite in the column's folder, the strategy, and the controller with the shared core attached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hummingbot.client.config.client_config_map import ClientConfigMap, MarketDataCollectionConfigMap
from hummingbot.client.config.config_helpers import ClientConfigAdapter
from hummingbot.client.hummingbot_application import HummingbotApplication
from hummingbot.connector.exchange.paper_trade.paper_trade_exchange import QuantizationParams
from hummingbot.connector.markets_recorder import MarketsRecorder
from hummingbot.model.sql_connection_manager import SQLConnectionManager, SQLConnectionType

from poc_hummingbot.inputs import RunInputs
from poc_hummingbot.transport import open_source
from poc_hummingbot.venue import QuoteCursor, QuoteFeeder
from poc_hummingbot_v2.config import CONNECTOR_NAME, PLATFORM, RECORDER_DB, HummingbotV2Config
from poc_hummingbot_v2.connector import V2PaperExchange, trading_rule
from poc_hummingbot_v2.controller import CONTROLLER_ID, AiLivestreamController, ControllerCore, controller_config
from poc_hummingbot_v2.intake import SignalIntake
from poc_hummingbot_v2.strategy import AiLivestreamStrategy
from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.spec import RunSpec
from shared_signals.contract.steps import StepJournal
from shared_signals.quotes import iter_quote_batches
from shared_signals.runner import SignalRunner

SIZE_PRECISION = PRICE_PRECISION = 8
"""Significant digits of amounts and prices on the paper exchange (Hummingbot ``QuantizationParams``)."""


class ApplicationStandIn:
    """What ``StrategyV2Base.start()`` reads of the running ``HummingbotApplication``: whether its MQTT
    gateway runs (it does not: the controller subscribes with the project's own client). The real
    application writes conf files and polls a gateway on localhost when it is built."""

    _mqtt = None


@dataclass
class Session:
    exchange: V2PaperExchange
    feeder: QuoteFeeder
    strategy: AiLivestreamStrategy
    controller: AiLivestreamController
    journal: JournalWriter
    steps: StepJournal
    source: object
    recorder: MarketsRecorder

    @property
    def iterators(self) -> tuple:
        """Clock order: the book is set, due orders fill on it, then the strategy ticks on it."""
        return (self.feeder, self.exchange, self.strategy)

    def close(self) -> None:
        try:
            self.recorder.stop()
            self.source.close()
        finally:
            self.journal.close()


def stand_in_application() -> None:
    """Makes :class:`ApplicationStandIn` the application ``StrategyV2Base.start()`` finds."""
    HummingbotApplication._main_app = ApplicationStandIn()


def _exchange(spec: RunSpec, config: HummingbotV2Config, inputs: RunInputs, trade_execution_delay_s: float) -> V2PaperExchange:
    pair = inputs.instrument.hummingbot_pair
    size_decimals = spec.core.decision.sizing.qty_decimals
    exchange = V2PaperExchange(trade_execution_delay_s, spec.venue.fee_rate, {pair: trading_rule(pair, size_decimals, config.price_decimals)})
    exchange.new_empty_order_book(pair)
    exchange.set_quantization_param(QuantizationParams(pair, PRICE_PRECISION, config.price_decimals, SIZE_PRECISION, size_decimals))
    exchange.set_balance(inputs.instrument.base, Decimal(repr(spec.starting_base)))
    exchange.set_balance(inputs.instrument.quote, Decimal(repr(spec.starting_quote)))
    return exchange


def _recorder(folder: Path, exchange: V2PaperExchange) -> MarketsRecorder:
    """Hummingbot's own record of orders, fills and executors, on sqlite in the column's folder."""
    sql = SQLConnectionManager(ClientConfigAdapter(ClientConfigMap()), SQLConnectionType.TRADE_FILLS, db_path=str(folder / RECORDER_DB))
    recorder = MarketsRecorder(sql, [exchange], "q50_ai_livestream.yml", PLATFORM, MarketDataCollectionConfigMap())
    recorder.start()
    return recorder


def build_session(
    spec: RunSpec, config: HummingbotV2Config, inputs: RunInputs, market_ns: Callable[[float], int],
    trade_execution_delay_s: float, speed: float,
) -> Session:
    """Must run inside the run's asyncio loop."""
    instrument = inputs.instrument
    pair = instrument.hummingbot_pair
    folder = Path(spec.platform_dir)
    exchange = _exchange(spec, config, inputs, trade_execution_delay_s)
    cursor = QuoteCursor(iter_quote_batches(spec.quotes))
    feeder = QuoteFeeder(exchange, pair, cursor, market_ns, config.touch_size_floor)
    recorder = _recorder(folder, exchange)
    journal = JournalWriter(folder, spec.run_id, PLATFORM, instrument.symbol)
    steps = StepJournal(journal)
    source = open_source(config.transport, folder, config.mqtt, pair, spec.run_id, config.max_payload_bytes)
    strategy = AiLivestreamStrategy({CONNECTOR_NAME: exchange}, pair, steps, market_ns, spec.starting_base, spec.heartbeat_s)
    strategy.add_controller(controller_config(pair, CONNECTOR_NAME, spec.core.exits, speed))
    controller = strategy.controllers.get(CONTROLLER_ID)
    if controller is None:  # add_controller logs its failure and carries on: a run without one trades nothing
        raise RuntimeError("StrategyV2Base.add_controller did not build the AI-livestream controller (see the log)")
    intake = SignalIntake(source, steps, instrument.symbol, pair, spec.core.loader.tolerance_ns, config.max_payload_bytes)
    controller.attach(ControllerCore(
        runner=SignalRunner(spec.core, (spec.starting_quote, spec.starting_base), own_barriers=False),
        journal=steps, intake=intake, ledger=strategy.ledger, connector=exchange,
        market_ns=market_ns, quote_ns=lambda: cursor.quote_ns, book_ns=lambda: market_ns(strategy.current_timestamp),
        starting_base=spec.starting_base,
        base=instrument.base, quote=instrument.quote,
    ))
    return Session(exchange, feeder, strategy, controller, journal, steps, source, recorder)
