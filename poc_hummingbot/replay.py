"""Replay mode: Hummingbot's ``Clock`` in BACKTEST mode stepping through the quotes.

The provider runs in simulated time as the first clock iterator: on the first tick at or after a
signal's time it writes the very files the live provider writes, and the strategy reads them back
the same way. The clock is stepped in chunks inside ``asyncio.run`` so the paper exchange's event
tasks get the loop between chunks. Over MQTT the provider publishes to the broker instead and the
clock waits (up to ``replay_delivery_timeout_s``) until the message is back at the strategy, so the
strategy sees it on the same tick as a file: replays stay deterministic, and the wait is a real
loopback round trip through the broker. At the end the strategy closes what is open (``close_on_stop``)
and the clock steps on to the close's fill time: with a fill delay that is after the data, and the close
stays unfilled, as on Nautilus and in the reference.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hummingbot.core.clock import Clock
from hummingbot.core.clock_mode import ClockMode
from hummingbot.core.py_time_iterator import PyTimeIterator

from poc_hummingbot.config import EVERY_TICK, HummingbotConfig
from poc_hummingbot.inputs import RunInputs
from poc_hummingbot.provider import DueSignals, SignalPublisher, publication_schedule
from poc_hummingbot.session import Session, build_session, settle_connector_tasks
from poc_hummingbot.event_clock import CLOCK_STEP_S, EventClock
from poc_hummingbot.transport import MQTT, open_sink
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import INTERRUPTED_REASON, ErrorKind
from shared_signals.contract.spec import RunSpec


REPLAY_EXECUTION_DELAY_STEPS = 0.0
"""The paper exchange's ``TRADE_EXECUTION_DELAY`` in replay, in clock steps: it executes a market order on
the step after it was placed, which the event clock shows at the order's fill time."""


class ClockedProvider(PyTimeIterator):
    """The provider in simulated time: publishes each scheduled signal on the first tick at or after it.

    ``await_delivery(count, timeout_s)``, for a transport that delivers asynchronously (MQTT), blocks
    until ``count`` messages in all have reached the strategy and returns how many have; if they do
    not within the timeout, ``report_late`` journals it, since the replay is then no longer
    deterministic, and later ticks wait only for their own messages, not again for the missing one."""

    def __init__(
        self,
        publisher: SignalPublisher,
        due: DueSignals,
        market_ns: Callable[[float], int],
        await_delivery: Callable[[int, float], int] | None = None,
        delivery_timeout_s: float = 0.0,
        report_late: Callable[[ErrorKind, str, int], None] | None = None,
    ) -> None:
        super().__init__()
        self._publisher = publisher
        self._due = due
        self._market_ns = market_ns
        self._await_delivery = await_delivery
        self._delivery_timeout_s = delivery_timeout_s
        self._report_late = report_late
        self._missing = 0
        """Messages published that never arrived in time: not waited for again."""

    def tick(self, timestamp: float) -> None:
        if self._due.done:
            return
        t_ns = self._market_ns(timestamp)
        if self._due.next_time_ns <= t_ns:
            for row in self._due.due(t_ns):
                self._publisher.publish(row)
            if self._await_delivery is None:
                return
            published = self._publisher.published
            expected = published - self._missing
            arrived = self._await_delivery(expected, self._delivery_timeout_s)
            if arrived < expected:
                self._missing = published - arrived
                self._report_late(
                    ErrorKind.DELIVERY_LATE,
                    f"MQTT delivery: {published} messages published, {arrived} arrived within "
                    f"{self._delivery_timeout_s:g} s; a late one is taken on a later tick (the replay is not deterministic)",
                    t_ns,
                )


def replay_clock(spec: RunSpec, config: HummingbotConfig, inputs: RunInputs) -> EventClock:
    """The event clock over the quotes (first tick on the first quote) up to their end or ``--duration``,
    filling market orders the venue model's fill delay after they are placed (exactly: see ``event_clock``)."""
    first_ns = inputs.quotes.first_ns
    end_ns = inputs.quotes.last_ns
    if spec.duration_ns is not None:
        end_ns = min(end_ns, first_ns + spec.duration_ns)
    return EventClock(first_ns, config.tick_size_ns, end_ns, replay_fill_delay_ns(spec), config.replay_clock == EVERY_TICK)


def replay_fill_delay_ns(spec: RunSpec) -> int:
    """The venue model's market-order fill delay in market time: in replay, order → fill is exactly this."""
    return round(spec.venue.fill_delay_s * NANOS_PER_SECOND)


def wire(clock: EventClock, session: Session, due: DueSignals) -> None:
    """What the event clock wakes up for: the next quote, the next signal due, the strategy's own moments;
    and, while the paper exchange holds a market order waiting for execution, only its fill time."""
    cursor = session.feeder.cursor
    clock.wake_on(lambda now: cursor.next_ns(), lambda now: due.next_time_ns, session.strategy.wakeup_ns)
    clock.hold_for(session.exchange.first_queued_s)


async def _step_clock(clock: Clock, event_clock: EventClock, chunk_steps: int) -> None:
    """Steps Hummingbot's clock in chunks (the paper exchange's event tasks get the loop in between)
    until the event clock has nothing left to show."""
    while not event_clock.finished:
        clock.backtest_til(clock.current_timestamp + chunk_steps * CLOCK_STEP_S)
        await asyncio.sleep(0)


def run_replay(spec: RunSpec, config: HummingbotConfig, inputs: RunInputs) -> tuple[Session, EventClock]:
    """Runs the whole replay; returns the finished session (journals closed) and its clock's counts."""
    event_clock = replay_clock(spec, config, inputs)
    core = spec.core
    rows = publication_schedule(inputs.signals.ts_ns.tolist(), inputs.quotes.first_ns, event_clock.end_ns, core.loader.tolerance_ns)
    session = build_session(spec, config, inputs, event_clock.market_ns, REPLAY_EXECUTION_DELAY_STEPS)
    try:
        sink = open_sink(config.transport, spec.platform_dir, config.mqtt, inputs.instrument.hummingbot_pair, spec.run_id, atomic=False)
    except BaseException:
        session.close()
        raise
    publisher = SignalPublisher(inputs.signals, spec.platform_dir, spec.run_id, core, sink)
    mqtt = config.transport == MQTT
    if not mqtt:
        session.source.follow(lambda: sink.writes)
    due = DueSignals(inputs.signals, rows, spec.signal_delay_ns)
    provider = ClockedProvider(
        publisher, due, event_clock.market_ns,
        session.source.wait_for if mqtt else None, config.mqtt.replay_delivery_timeout_s, session.strategy.report_error,
    )
    wire(event_clock, session, due)

    async def main() -> None:
        clock = Clock(ClockMode.BACKTEST, CLOCK_STEP_S, event_clock.clock_start_s)
        for iterator in (event_clock, provider, *session.iterators):
            clock.add_iterator(iterator)
        await _step_clock(clock, event_clock, config.replay_chunk_ticks)
        await settle_connector_tasks()
        if session.strategy.close_open_position():  # at the last step's quote; it fills on the next step, if due in the data
            event_clock.resume()
            await _step_clock(clock, event_clock, config.replay_chunk_ticks)
            await settle_connector_tasks()

    try:
        asyncio.run(main())
        session.strategy.final_heartbeat(event_clock.end_ns)
    except KeyboardInterrupt:
        session.strategy.report_error(ErrorKind.INTERRUPTED, INTERRUPTED_REASON)
        raise
    finally:
        publisher.close()
        session.close()
    return session, event_clock
