"""The live paper run: Hummingbot's ``Clock`` in REALTIME mode with quotes fed at the chosen speed, and
Hummingbot's own signal provider (``poc_hummingbot.provider_process``) in its own OS process publishing
AI-livestream messages over MQTT. The controller subscribes before the provider starts, so no message
goes out before someone listens. At the end, or on Ctrl-C, ``StrategyV2Base.on_stop`` runs while the clock keeps
ticking, so the orchestrator's closes of open executors are filled by the exchange and journaled.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from hummingbot.core.clock import Clock
from hummingbot.core.clock_mode import ClockMode

from poc_hummingbot.config import HummingbotConfig
from poc_hummingbot.inputs import RunInputs
from poc_hummingbot.live import STOP_SIGNALS, LivePlan
from poc_hummingbot.live import _stop as stop_provider
from poc_hummingbot.session import settle_connector_tasks
from poc_hummingbot_v2.config import PROVIDER_DIR, PROVIDER_LOG, PROVIDER_MODULE, PROVIDER_SPEC, HummingbotV2Config
from poc_hummingbot_v2.session import Session, build_session, stand_in_application
from shared_signals.config import NANOS_PER_SECOND, plain_settings
from shared_signals.contract.codes import INTERRUPTED_REASON, ErrorKind
from shared_signals.contract.spec import RunSpec

PROVIDER_PLATFORM = "hummingbot"
"""The provider is Hummingbot's: its spec names that platform (and its settings type), in this column's folder."""


def provider_command(spec: RunSpec, config: HummingbotV2Config, plan: LivePlan) -> list[str]:
    """Hummingbot's provider process on this column's folder, publishing over MQTT with this column's
    MQTT settings: its own spec file (under ``provider/``) carries them as Hummingbot's settings."""
    provider_spec = replace(spec, platform=PROVIDER_PLATFORM,
                            settings=plain_settings(HummingbotConfig(transport=config.transport, mqtt=config.mqtt)))
    folder = Path(spec.platform_dir) / PROVIDER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    spec_file = folder / PROVIDER_SPEC
    spec_file.write_text(json.dumps(provider_spec.to_dict(), indent=2) + "\n", encoding="utf-8")
    timeline = plan.timeline
    return [
        sys.executable, "-m", PROVIDER_MODULE, str(spec_file), "--speed", repr(timeline.speed),
        "--start", str(timeline.anchor_market_ns), "--end", str(plan.end_market_ns),
        "--anchor-wall-ns", str(timeline.anchor_wall_ns), "--parent-pid", str(os.getpid()),
    ]


async def _clock_until(clock: Clock, end_s: float, check_s: float, stop: asyncio.Event | None, done=None) -> None:
    """Runs the clock to ``end_s`` (wall), or until ``stop`` is set or ``done`` (a task) finishes."""
    while time.time() < end_s and not (stop is not None and stop.is_set()) and not (done is not None and done.done()):
        await clock.run_til(min(end_s, time.time() + check_s))


async def _session(spec: RunSpec, config: HummingbotV2Config, inputs: RunInputs, plan: LivePlan, provider_args: list[str]):
    """The whole run inside one loop; returns (session, interrupted, provider exit code)."""
    loop = asyncio.get_running_loop()
    interrupted = asyncio.Event()
    for stop_signal in STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, interrupted.set)
    session = build_session(spec, config, inputs, plan.timeline.market_ns,
                            plan.trade_execution_delay_s, plan.timeline.speed)
    log_path = Path(spec.platform_dir) / PROVIDER_DIR / PROVIDER_LOG
    with log_path.open("ab") as provider_log:
        provider = subprocess.Popen(provider_args, stdout=provider_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    stand_in_application()
    clock = Clock(ClockMode.REALTIME, config.tick_size_s)
    for iterator in session.iterators:
        clock.add_iterator(iterator)
    reported = False
    try:
        with clock:
            end_s = plan.end_wall_ns / NANOS_PER_SECOND
            while time.time() < end_s and not interrupted.is_set():
                await _clock_until(clock, end_s, config.provider_check_s, interrupted)
                code = provider.poll()
                if code not in (None, 0) and not reported:
                    reported = True
                    session.strategy.report_error(ErrorKind.PROVIDER_EXITED, f"provider process exited with code {code}; no new signals")
            code = stop_provider(provider, config.provider_stop_timeout_s)
            # Stopped or not, the executors close what they hold while the clock ticks: a stop signal
            # shortens the wait, and one more (a terminal's Ctrl-C reaches the platform and the harness,
            # which forwards it) does not cut it short.
            shutdown_s = config.interrupted_shutdown_s if interrupted.is_set() else config.shutdown_s
            stopping = asyncio.ensure_future(session.strategy.on_stop())
            await _clock_until(clock, time.time() + shutdown_s, config.provider_check_s, None, stopping)
            if not stopping.done():
                stopping.cancel()
                session.strategy.report_error(ErrorKind.NODE_STOPPED, f"StrategyV2Base.on_stop did not finish within {shutdown_s:g} s "
                                              f"(position {session.strategy.position():g} when cut short)")
        session.strategy.final_heartbeat(plan.timeline.market_at_wall(time.time_ns()))
        if interrupted.is_set():
            session.strategy.report_error(ErrorKind.INTERRUPTED, INTERRUPTED_REASON)
        await settle_connector_tasks()
    finally:
        for stop_signal in STOP_SIGNALS:
            loop.remove_signal_handler(stop_signal)
        stop_provider(provider, config.provider_stop_timeout_s)
        session.close()
    return session, interrupted.is_set(), code


def run_live(
    spec: RunSpec, config: HummingbotV2Config, inputs: RunInputs, plan: LivePlan, provider_args: list[str]
) -> tuple[Session, int]:
    """Runs the session; returns it and the provider's exit code (KeyboardInterrupt when told to stop)."""
    session, interrupted, code = asyncio.run(_session(spec, config, inputs, plan, provider_args))
    if interrupted:
        raise KeyboardInterrupt
    return session, code
