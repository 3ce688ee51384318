"""Live paper mode: Hummingbot's ``Clock`` in REALTIME mode, quotes fed at the chosen speed, and the
provider in its own OS process (``poc_hummingbot.provider_process``). The signal file (or, with ``--transport mqtt``,
the broker) is their only link; both derive market time from the same :class:`LiveTimeline`, handed
to the provider on its command line. With MQTT the strategy subscribes before the provider starts,
so no message can go out before someone listens.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from hummingbot.core.clock import Clock
from hummingbot.core.clock_mode import ClockMode

from poc_hummingbot.config import PROVIDER_DIR, PROVIDER_LOG, PROVIDER_MODULE, HummingbotConfig
from poc_hummingbot.inputs import RunInputs
from poc_hummingbot.session import Session, build_session, settle_connector_tasks
from shared_signals.contract.timeline import LiveTimeline
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import INTERRUPTED_REASON, ErrorKind
from shared_signals.contract.spec import RunSpec, write_spec

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
CLOSE_SETTLE_S = 5.0
"""Wall seconds, beyond the venue's own fill delay, the run waits for its close at the end to fill."""


@dataclass(frozen=True, slots=True)
class LivePlan:
    timeline: LiveTimeline
    end_wall_ns: int
    end_market_ns: int
    trade_execution_delay_s: float
    """Wall seconds: the venue's market-time delay divided by the speed."""


def effective_speed(options: RunSpec, config: HummingbotConfig, inputs: RunInputs) -> float:
    """``--speed``, or for ``max`` one quote per clock tick (a REALTIME clock cannot go faster)."""
    if options.speed is not None:
        return options.speed
    spacing = inputs.quotes.spacing_ns or config.tick_size_ns
    return spacing / config.tick_size_ns


def plan_live(options: RunSpec, config: HummingbotConfig, inputs: RunInputs, launch_ns: int) -> LivePlan:
    """Market time starts on a tick boundary ``live_start_delay_s`` after launch and ends with the
    quotes (one tick after the last) or with ``--duration`` of wall time, whichever is first."""
    tick_ns = config.tick_size_ns
    speed = effective_speed(options, config, inputs)
    start_ns = launch_ns + round(config.live_start_delay_s * NANOS_PER_SECOND)
    anchor_wall_ns = math.ceil(start_ns / tick_ns) * tick_ns
    timeline = LiveTimeline(anchor_wall_ns, inputs.quotes.first_ns, speed)
    end_wall_ns = timeline.wall_at_market(inputs.quotes.last_ns) + tick_ns
    if options.duration_ns is not None:
        end_wall_ns = min(end_wall_ns, launch_ns + options.duration_ns)
    return LivePlan(timeline, end_wall_ns, timeline.market_at_wall(end_wall_ns), options.venue.fill_delay_s / speed)


def provider_command(spec: RunSpec, plan: LivePlan) -> list[str]:
    """The provider process with this run's spec (its one source of settings) and the timeline."""
    return [
        sys.executable, "-m", PROVIDER_MODULE, str(write_spec(spec)),
        "--speed", repr(plan.timeline.speed),
        "--start", str(plan.timeline.anchor_market_ns),
        "--end", str(plan.end_market_ns),
        "--anchor-wall-ns", str(plan.timeline.anchor_wall_ns),
        "--parent-pid", str(os.getpid()),
    ]


def _stop(process: subprocess.Popen, timeout_s: float) -> int:
    """SIGTERM (the provider closes its journal), then SIGKILL after ``timeout_s``."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


async def _run_clock(session: Session, plan: LivePlan, tick_s: float, check_s: float, provider: subprocess.Popen) -> bool:
    """Runs Hummingbot's realtime clock to the plan's end; True when a stop signal ended it first.

    SIGINT/SIGTERM are handled here, not by ``asyncio.run`` (whose cancellation the clock loop would
    not see): the run stops within ``check_s``, so its journal is wrapped up before a supervisor's
    grace period runs out. Either way the strategy then closes what is open (``close_on_stop``) and the
    clock runs on until that close fills."""
    loop = asyncio.get_running_loop()
    interrupted = asyncio.Event()
    for stop_signal in STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, interrupted.set)
    clock = Clock(ClockMode.REALTIME, tick_s)
    for iterator in session.iterators:
        clock.add_iterator(iterator)
    reported = False
    end_s = plan.end_wall_ns / NANOS_PER_SECOND
    try:
        with clock:
            while time.time() < end_s and not interrupted.is_set():
                await clock.run_til(min(end_s, time.time() + check_s))
                code = provider.poll()
                if code not in (None, 0) and not reported:
                    reported = True
                    session.strategy.report_error(ErrorKind.PROVIDER_EXITED, f"provider process exited with code {code}; no new signals")
            if session.strategy.close_open_position():
                await _settle(clock, session, plan.trade_execution_delay_s + CLOSE_SETTLE_S, tick_s)
    finally:
        for stop_signal in STOP_SIGNALS:
            loop.remove_signal_handler(stop_signal)
    await settle_connector_tasks()
    return interrupted.is_set()


async def _settle(clock: Clock, session: Session, timeout_s: float, tick_s: float) -> None:
    """Runs the clock on, tick by tick, until the strategy's close has filled (or the timeout passes)."""
    deadline = time.time() + timeout_s
    while not session.strategy.is_settled() and time.time() < deadline:
        await clock.run_til(time.time() + tick_s)
    if not session.strategy.is_settled():
        log.warning("stopping with the close at the end still unfilled after %.1f s", timeout_s)


def run_live(
    options: RunSpec, config: HummingbotConfig, inputs: RunInputs, plan: LivePlan, provider_args: list[str]
) -> tuple[Session, int]:
    """Runs the live session with ``provider_args`` (:func:`provider_command`) as its signal process;
    returns the session and the provider's exit code."""
    session = build_session(options, config, inputs, plan.timeline.market_ns, plan.trade_execution_delay_s)
    log_path = Path(options.platform_dir) / PROVIDER_DIR / PROVIDER_LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as provider_log:
        provider = subprocess.Popen(
            provider_args, stdout=provider_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        interrupted = asyncio.run(_run_clock(session, plan, config.tick_size_s, config.provider_check_s, provider))
        session.strategy.final_heartbeat(plan.timeline.market_at_wall(time.time_ns()))
        if interrupted:
            session.strategy.report_error(ErrorKind.INTERRUPTED, INTERRUPTED_REASON)
    finally:
        code = _stop(provider, config.provider_stop_timeout_s)
        session.close()
    if interrupted:
        raise KeyboardInterrupt
    return session, code
