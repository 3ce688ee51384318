"""The Hummingbot parts of one run, wired the same way in replay and live mode: the paper exchange,
the quote feeder, the strategy with its signal source (file or MQTT) and its journal."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from hummingbot.strategy.market_trading_pair_tuple import MarketTradingPairTuple

from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.spec import RunSpec
from poc_hummingbot.config import PLATFORM, HummingbotConfig
from poc_hummingbot.inputs import RunInputs
from poc_hummingbot.strategy import SignalFileStrategy, StrategySettings
from poc_hummingbot.transport import MQTT, open_source
from poc_hummingbot.venue import PaperExchange, QuoteCursor, QuoteFeeder, build_exchange
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.quotes import iter_quote_batches
from shared_signals.runner import SignalRunner

CONNECTOR_SETTLE_S = 0.05
"""The paper exchange posts order-created events as tasks that sleep 10 ms; waiting this long at the
end lets them finish instead of being cancelled half-way (which Python reports as un-awaited coroutines)."""


async def settle_connector_tasks() -> None:
    await asyncio.sleep(CONNECTOR_SETTLE_S)


@dataclass
class Session:
    exchange: PaperExchange
    feeder: QuoteFeeder
    strategy: SignalFileStrategy
    journal: JournalWriter
    source: object
    """The strategy's signal source: :class:`FileSignalSource` or :class:`MqttSignalSource`."""

    def close(self) -> None:
        """Ends the source's connection (MQTT), then closes the journal; the files stay readable."""
        try:
            self.source.close()
        finally:
            self.journal.close()

    @property
    def iterators(self) -> tuple:
        """Clock order: the book is set, then due orders fill on it, then the strategy decides on it."""
        return (self.feeder, self.exchange, self.strategy)


def build_session(
    options: RunSpec,
    config: HummingbotConfig,
    inputs: RunInputs,
    market_ns: Callable[[float], int],
    trade_execution_delay_s: float,
) -> Session:
    """``trade_execution_delay_s`` is the paper exchange's own delay in clock seconds (live: market
    seconds over the speed; replay: 0, the event clock shows the next step at the fill time)."""
    instrument = inputs.instrument
    core = options.core
    pair = instrument.hummingbot_pair
    exchange = build_exchange(
        instrument, config.venue, core.decision.sizing.qty_decimals, trade_execution_delay_s,
        options.starting_base, options.starting_quote, options.venue.fee_rate,
    )
    cursor = QuoteCursor(iter_quote_batches(options.quotes))
    feeder = QuoteFeeder(exchange, pair, cursor, market_ns, config.venue.touch_size_floor)
    source = open_source(config.transport, options.platform_dir, config.mqtt, pair, options.run_id, config.max_payload_bytes)
    journal = JournalWriter(options.platform_dir, options.run_id, PLATFORM, instrument.symbol)
    settings = StrategySettings(
        symbol=instrument.symbol,
        order_type=config.order_type,
        limit_offset=config.limit_offset,
        limit_timeout_ns=round(config.limit_timeout_s * NANOS_PER_SECOND),
        starting_base=options.starting_base,
        heartbeat_s=options.heartbeat_s,
        tolerance_ns=core.loader.tolerance_ns,
        max_payload_bytes=config.max_payload_bytes,
        livestream_pair=pair if config.transport == MQTT else None,
        close_on_stop=config.close_on_stop,
    )
    strategy = SignalFileStrategy(
        MarketTradingPairTuple(exchange, pair, instrument.base, instrument.quote),
        source, SignalRunner(core, (options.starting_quote, options.starting_base)), journal, settings, market_ns, lambda: cursor.quote_ns,
    )
    return Session(exchange, feeder, strategy, journal, source)
