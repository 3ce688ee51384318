"""A live market-data client that replays the quote file on the wall clock (no network).

Quote ``i`` is handed to Nautilus at ``start + (t_i - t_0) / speed`` of wall time (as soon as
possible when ``speed`` is None; ``start``, ``t_0`` and the speed are written to the column's
``timeline.json``), restamped: ``ts_init`` is the wall time it entered Nautilus,
``ts_event`` keeps its market time. The strategy reads signals as of ``ts_event``, so a signal
becomes visible at its scheduled wall time, scaled by the same speed.

File reading and wrangling run in a worker thread, so the event loop never stalls on a batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from nautilus_trader.cache.cache import Cache
from nautilus_trader.common.component import LiveClock, MessageBus
from nautilus_trader.common.providers import InstrumentProvider
from nautilus_trader.live.config import LiveDataClientConfig
from nautilus_trader.live.data_client import LiveMarketDataClient
from nautilus_trader.live.factories import LiveDataClientFactory
from nautilus_trader.model.data import QuoteTick
from nautilus_trader.model.identifiers import ClientId, InstrumentId

from poc_nautilus.quotes import TickMaker
from poc_nautilus.venue import VENUE
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.timeline import LiveTimeline, write_timeline
from shared_signals.quotes import iter_quote_batches

log = logging.getLogger(__name__)

FEED_NAME = "REPLAY"
LIVE_BATCH_ROWS = 10_000
"""Rows read per batch in live mode: small, so the first quote goes out quickly."""


class ReplayFeedConfig(LiveDataClientConfig, frozen=True, kw_only=True):
    quotes_path: str
    instrument_id: InstrumentId
    speed: float | None = None
    """1.0 = real time, N = N times faster, None = as fast as the node takes them."""
    batch_rows: int = LIVE_BATCH_ROWS
    timeline_folder: str | None = None
    """Where the feed writes its timeline (the wall time its first quote went out) once it starts."""


class ReplayFeed(LiveMarketDataClient):
    """Publishes the file's quotes once ``subscribe_quote_ticks`` arrives; ``finished`` is set at the end.

    ``error`` holds what stopped the feed early (e.g. an ``InputError`` on a bad row), for the run
    to journal and raise once the node has stopped.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop, msgbus: MessageBus, cache: Cache, clock: LiveClock, config: ReplayFeedConfig
    ) -> None:
        super().__init__(
            loop=loop,
            client_id=ClientId(FEED_NAME),
            venue=VENUE,
            msgbus=msgbus,
            cache=cache,
            clock=clock,
            instrument_provider=InstrumentProvider(),
            config=config,
        )
        self._feed_config = config
        self._task: asyncio.Task | None = None
        self.finished = asyncio.Event()
        self.error: Exception | None = None
        self.published = 0

    async def _connect(self) -> None:
        """Nothing to connect to: the quotes are a local file."""

    async def _disconnect(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def _subscribe_quote_ticks(self, command: object) -> None:
        if self._task is None:
            self._task = self._loop.create_task(self._run(), name="replay-feed")

    async def _unsubscribe_quote_ticks(self, command: object) -> None:
        await self._disconnect()

    async def _run(self) -> None:
        try:
            await self._publish_all()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported to the run, which journals it and stops
            self.error = exc
        finally:
            self.finished.set()

    async def _publish_all(self) -> None:
        config = self._feed_config
        maker = TickMaker(self._cache.instrument(config.instrument_id))
        batches = iter_quote_batches(config.quotes_path, config.batch_rows)
        speed = config.speed
        clock = self._clock
        start_wall: int | None = None
        start_market = 0
        while (ticks := await self._loop.run_in_executor(None, _next_ticks, batches, maker)) is not None:
            for tick in ticks:
                if start_wall is None:
                    start_wall, start_market = clock.timestamp_ns(), tick.ts_event
                    if speed is not None and config.timeline_folder is not None:
                        write_timeline(Path(config.timeline_folder), LiveTimeline(start_wall, start_market, speed))
                if speed is None:
                    await asyncio.sleep(0)
                else:
                    wait_ns = start_wall + int((tick.ts_event - start_market) / speed) - clock.timestamp_ns()
                    await asyncio.sleep(max(wait_ns, 0) / NANOS_PER_SECOND)
                self._handle_data(
                    QuoteTick(
                        tick.instrument_id,
                        tick.bid_price,
                        tick.ask_price,
                        tick.bid_size,
                        tick.ask_size,
                        tick.ts_event,
                        clock.timestamp_ns(),
                    )
                )
                self.published += 1


def _next_ticks(batches: Iterator[pd.DataFrame], maker: TickMaker) -> list[QuoteTick] | None:
    """The next non-empty batch as ticks (in a worker thread), or None at the end of the file."""
    for batch in batches:
        if not batch.empty:
            return maker.ticks(batch)
    return None


class ReplayFeedFactory(LiveDataClientFactory):
    """Lets a ``TradingNode`` build the feed from its ``data_clients`` configuration."""

    @staticmethod
    def create(  # type: ignore[override]
        loop: asyncio.AbstractEventLoop,
        name: str,
        config: ReplayFeedConfig,
        msgbus: MessageBus,
        cache: Cache,
        clock: LiveClock,
    ) -> ReplayFeed:
        return ReplayFeed(loop, msgbus, cache, clock, config)

