"""Live paper mode: a ``TradingNode`` on the wall clock, the replay feed, and Nautilus' Sandbox venue.

No network and no credentials: market data comes from :mod:`poc_nautilus.live_feed`, orders go to
the Sandbox execution client (a ``SimulatedExchange`` inside the node). The run ends when the feed
has published every quote (and the node has handled them) or after ``duration_ns`` of wall time;
then the open position is closed while the strategy still runs, so its fill is journaled.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from enum import StrEnum

from nautilus_trader.adapters.sandbox.config import SandboxExecutionClientConfig
from nautilus_trader.adapters.sandbox.factory import SandboxLiveExecClientFactory
from nautilus_trader.config import LiveExecEngineConfig, LoggingConfig, TradingNodeConfig
from nautilus_trader.live.node import TradingNode
from nautilus_trader.model.identifiers import TraderId

from poc_nautilus.config import NAUTILUS_LOG_LEVEL, TRADER_ID, Q50StrategyConfig
from poc_nautilus.offline import VENUE_NAME
from poc_nautilus.inputs import RunInputs
from poc_nautilus.live_feed import FEED_NAME, LIVE_BATCH_ROWS, ReplayFeed, ReplayFeedConfig, ReplayFeedFactory
from poc_nautilus.reports import save_reports
from poc_nautilus.strategy import Q50Strategy
from poc_nautilus.venue import ACCOUNT_TYPE, OMS_TYPE, VENUE, spec_instrument, starting_balances
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import INTERRUPTED_REASON, ErrorKind
from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.spec import RunResult, RunSpec
from shared_signals.errors import InputError

log = logging.getLogger(__name__)

SETTLE_TIMEOUT_S = 5.0
"""Longest wait for queued quotes and in-flight orders to be handled before stopping."""
SETTLE_POLL_S = 0.01
POST_STOP_S = 0.2
"""Nautilus waits this long after stopping the trader for residual events (default 10 s)."""
CONNECT_TIMEOUT_S = 10.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def node_config(options: RunSpec, config: Q50StrategyConfig) -> TradingNodeConfig:
    """The node: quiet logging; no reconciliation (a fresh paper account has nothing to reconcile);
    an exception in Nautilus' event queues stops the node instead of ending the process (its
    default), so the journal and the reports are still written; a short post-stop wait."""
    money = starting_balances(spec_instrument(options), options.starting_quote, options.starting_base)
    balances = [f"{amount.as_decimal()} {amount.currency.code}" for amount in money]
    return TradingNodeConfig(
        trader_id=TraderId(TRADER_ID),
        logging=LoggingConfig(log_level=NAUTILUS_LOG_LEVEL),
        exec_engine=LiveExecEngineConfig(reconciliation=False, graceful_shutdown_on_exception=True),
        data_clients={
            FEED_NAME: ReplayFeedConfig(
                quotes_path=str(options.quotes),
                instrument_id=config.instrument_id,
                speed=options.speed,
                batch_rows=LIVE_BATCH_ROWS,
                timeline_folder=str(options.platform_dir),
            )
        },
        exec_clients={
            VENUE_NAME: SandboxExecutionClientConfig(
                venue=VENUE_NAME,
                starting_balances=balances,
                oms_type=OMS_TYPE.name,
                account_type=ACCOUNT_TYPE.name,
            )
        },
        timeout_connection=CONNECT_TIMEOUT_S,
        timeout_post_stop=POST_STOP_S,
    )


async def _settle(node: TradingNode, strategy: Q50Strategy) -> None:
    """Waits until queued quotes are handled and no order is in flight (or the timeout passes)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        if node.kernel.data_engine.data_qsize() == 0 and strategy.is_settled():
            return
        await asyncio.sleep(SETTLE_POLL_S)
    log.warning("stopping with quotes or orders still pending after %.1f s", SETTLE_TIMEOUT_S)


class Ending(StrEnum):
    """Why a live run ended."""

    DATA_END = "the feed published every quote"
    DURATION = "the duration passed"
    INTERRUPTED = "a stop signal (SIGINT/SIGTERM)"
    NODE_STOPPED = "the Nautilus node stopped on its own (see its log)"


async def _drive(
    node: TradingNode, strategy: Q50Strategy, feed: ReplayFeed, interrupted: asyncio.Event, duration_ns: int | None
) -> Ending:
    """Runs the node until the feed ends, the duration passes or a stop signal; closes what is open; stops."""
    running = asyncio.ensure_future(node.run_async())
    finished = asyncio.ensure_future(feed.finished.wait())
    signalled = asyncio.ensure_future(interrupted.wait())
    timeout = duration_ns / NANOS_PER_SECOND if duration_ns is not None else None
    await asyncio.wait({running, finished, signalled}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if signalled.done():
        ending = Ending.INTERRUPTED
    elif running.done():
        ending = Ending.NODE_STOPPED
    else:
        ending = Ending.DATA_END if finished.done() else Ending.DURATION
    finished.cancel()
    signalled.cancel()
    if node.kernel.trader.is_running:
        await _settle(node, strategy)
        if strategy.close_open_position():
            await _settle(node, strategy)
    await node.stop_async()
    if not running.done():
        running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    return ending


async def _cancel_leftovers() -> None:
    """Ends the tasks a stopped node leaves behind (e.g. its executor's worker) before the loop closes."""
    leftovers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in leftovers:
        task.cancel()
    await asyncio.gather(*leftovers, return_exceptions=True)


def run_live(options: RunSpec, inputs: RunInputs, journal: JournalWriter, config: Q50StrategyConfig) -> RunResult:
    """Paper-trades the quotes on the wall clock until the data ends or ``duration_ns`` passes.

    A bad quote mid-file, a stop signal (Ctrl-C) or a node that stops on its own is journaled, the
    run is wrapped up (close, stop, reports), then raised: ``InputError``, ``KeyboardInterrupt``,
    ``RuntimeError``.
    """
    started = time.perf_counter()
    instrument = spec_instrument(options)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    node = TradingNode(config=node_config(options, config), loop=loop)
    interrupted = asyncio.Event()
    for stop_signal in STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, interrupted.set)  # ours, not the node's: close before stopping
    try:
        node.add_data_client_factory(FEED_NAME, ReplayFeedFactory)
        node.add_exec_client_factory(VENUE_NAME, SandboxLiveExecClientFactory)
        strategy = Q50Strategy(config, journal, inputs.signals)
        node.trader.add_strategy(strategy)
        node.build()
        node.kernel.cache.add_instrument(instrument)
        feed = node.kernel.data_engine.routing_map[VENUE]
        ending = loop.run_until_complete(_drive(node, strategy, feed, interrupted, options.duration_ns))
        loop.run_until_complete(_cancel_leftovers())
        save_reports(node.trader, node.portfolio, node.cache, VENUE, options.platform_dir)
    finally:
        for stop_signal in STOP_SIGNALS:
            loop.remove_signal_handler(stop_signal)
        node.dispose()
        if not loop.is_closed():
            loop.close()
        asyncio.set_event_loop(None)
    if feed.error is not None:
        bad_input = isinstance(feed.error, InputError)
        what, code = ("bad input, run stopped", ErrorKind.BAD_INPUT) if bad_input else ("live feed failed", ErrorKind.RUN_FAILED)
        strategy.report_error(code, f"{what}: {feed.error}")
        raise feed.error
    if ending is Ending.INTERRUPTED:
        strategy.report_error(ErrorKind.INTERRUPTED, INTERRUPTED_REASON)
        raise KeyboardInterrupt
    if ending is Ending.NODE_STOPPED:
        strategy.report_error(ErrorKind.NODE_STOPPED, f"{ending}: run stopped")
        raise RuntimeError(f"live run ended early: {ending}")
    return strategy.result(
        options.platform_dir,
        time.perf_counter() - started,
        f"live speed: {'max' if options.speed is None else f'{options.speed:g}x'}",
        f"ended: {ending}",
    )
