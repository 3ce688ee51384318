"""Replay mode: a ``BacktestEngine`` with a simulated BINANCE venue, fed the quote file in batches.

Streaming (``add_data`` → ``run(streaming=True)`` → ``clear_data``, then ``end``) keeps one batch of
ticks in memory at a time. The simulated clock is the quotes' own time, so the run is deterministic:
same inputs, same journal (apart from wall-clock stamps and wall-clock heartbeats).
"""

from __future__ import annotations

import logging
import time
import warnings

from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig
from nautilus_trader.config import LoggingConfig
from nautilus_trader.model.identifiers import TraderId
from pandas.errors import Pandas4Warning

from poc_nautilus.config import NAUTILUS_LOG_LEVEL, TRADER_ID, Q50StrategyConfig
from poc_nautilus.inputs import RunInputs
from poc_nautilus.quotes import TickMaker, until
from poc_nautilus.reports import save_reports
from poc_nautilus.strategy import Q50Strategy
from poc_nautilus.venue import ACCOUNT_TYPE, OMS_TYPE, VENUE, latency_model, spec_instrument, starting_balances
from shared_signals.contract.codes import INTERRUPTED_REASON, ErrorKind
from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.spec import RunResult, RunSpec
from shared_signals.errors import InputError

log = logging.getLogger(__name__)


def build_engine(options: RunSpec) -> BacktestEngine:
    """The engine with its venue and instrument, no strategy yet.

    ``use_message_queue=False``: the simulated exchange handles an order as it is submitted (at the
    same simulated time as with the queue, since no latency model is set), so a close sent after
    the last quote fills while the strategy still runs and is journaled.
    """
    engine = BacktestEngine(
        BacktestEngineConfig(trader_id=TraderId(TRADER_ID), logging=LoggingConfig(log_level=NAUTILUS_LOG_LEVEL))
    )
    instrument = spec_instrument(options)
    latency = latency_model(options)
    engine.add_venue(
        VENUE,
        OMS_TYPE,
        ACCOUNT_TYPE,
        starting_balances=starting_balances(instrument, options.starting_quote, options.starting_base),
        use_message_queue=latency is not None,  # orders reach the exchange at once, or through its latency queue
        latency_model=latency,
        use_market_order_acks=True,  # the venue acknowledges a market order (OrderAccepted), as Hummingbot's does
    )
    engine.add_instrument(instrument)
    return engine


def stream(engine: BacktestEngine, strategy: Q50Strategy, inputs: RunInputs, options: RunSpec) -> None:
    """Feeds the quotes batch by batch; never holds more than one batch of ticks. Between batches
    (a fraction of a second each) the strategy gets its chance to journal a wall-clock heartbeat."""
    maker = TickMaker(spec_instrument(options))
    for batch in until(inputs.quote_batches, options.duration_ns):
        if batch.empty:
            continue
        engine.add_data(maker.ticks(batch))
        engine.run(streaming=True)
        engine.clear_data()
        strategy.replay_heartbeat()


def finish(engine: BacktestEngine, strategy: Q50Strategy, options: RunSpec) -> None:
    """Closes what is open (if configured), ends the engine and saves Nautilus' reports. With a fill delay
    the close is due after the last quote, and the engine ends with the data: it stays unfilled, as any
    order due after the data does on every platform and in the reference."""
    strategy.close_open_position()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=Pandas4Warning)
        engine.end()
    save_reports(engine.trader, engine.portfolio, engine.cache, VENUE, options.platform_dir, calculate=False)


def run_replay(options: RunSpec, inputs: RunInputs, journal: JournalWriter, config: Q50StrategyConfig) -> RunResult:
    """Runs the replay; a bad quote mid-file (or Ctrl-C) is journaled, the run is wrapped up (close,
    engine end, reports), then it is raised."""
    started = time.perf_counter()
    engine = build_engine(options)
    strategy = Q50Strategy(config, journal, inputs.signals)
    engine.add_strategy(strategy)
    failure: BaseException | None = None
    try:
        stream(engine, strategy, inputs, options)
    except InputError as exc:
        failure = exc
        strategy.report_error(ErrorKind.BAD_INPUT, f"bad input, run stopped: {exc}")
    except KeyboardInterrupt as exc:
        failure = exc
        strategy.report_error(ErrorKind.INTERRUPTED, INTERRUPTED_REASON)
    except Exception as exc:
        failure = exc
        strategy.report_error(ErrorKind.RUN_FAILED, f"replay failed: {type(exc).__name__}: {exc}")
        log.exception("replay failed")
    try:
        finish(engine, strategy, options)
    finally:
        engine.dispose()
    if failure is not None:
        raise failure
    wall_s = time.perf_counter() - started
    return strategy.result(options.platform_dir, wall_s, f"throughput: {strategy.quotes / wall_s:,.0f} quotes/s")
