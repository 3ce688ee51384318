"""``poc_hummingbot.app.run``: one Hummingbot run (replay or live) into ``RUN_DIR/hummingbot``.

Writes ``events.jsonl`` + ``events.parquet`` (the strategy), ``provider/events.jsonl`` + parquet
(``signal_published``, one per publication), ``signals/`` (the provider's files) and ``run.json``
(configuration, the venue model, input digests, versions). Inputs are validated in full before any
clock starts, so a user mistake is an :class:`InputError`, never a half-run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from pathlib import Path

from poc_hummingbot.config import LATEST_SIGNAL, PLATFORM, PROVIDER_DIR, SIGNALS_DIR, HummingbotConfig
from poc_hummingbot.inputs import RunInputs, load_inputs
from poc_hummingbot.live import LivePlan, plan_live, provider_command, run_live
from poc_hummingbot.replay import REPLAY_EXECUTION_DELAY_STEPS, replay_fill_delay_ns, run_replay
from poc_hummingbot.transport import MQTT, describe_transport
from poc_hummingbot.venue import live_fill_delay_ns
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.run_info import VenueInfo, file_digest, write_run_info
from shared_signals.contract.spec import RunResult, RunSpec, platform_config
from shared_signals.errors import InputError
from shared_signals.contract.timeline import write_timeline

log = logging.getLogger(__name__)

HUMMINGBOT_LOG_LEVEL = logging.ERROR
"""Hummingbot logs every paper-trade warning; the journal already records what matters."""


def _venue(spec: RunSpec, config: HummingbotConfig, plan: LivePlan | None) -> VenueInfo:
    """The paper venue as run: reported beside the journal so latency figures are not blamed on the platform."""
    if plan is None:
        clock_delay_s = REPLAY_EXECUTION_DELAY_STEPS
        fill_delay_ns = replay_fill_delay_ns(spec)
        fills = ("Replay: TRADE_EXECUTION_DELAY is 0 clock steps (a market order executes on the clock step after "
                 "it is placed) and the event clock shows that step at exactly the order's market time plus the "
                 "venue's fill delay, off the tick grid if need be: the order fills at the touch of the quote in "
                 "force then, and fill_delay_ns is that delay.")
    else:
        tick_ns = config.tick_size_ns
        clock_delay_s = spec.venue.fill_delay_s / plan.timeline.speed
        fill_delay_ns = round(live_fill_delay_ns(clock_delay_s, tick_ns / NANOS_PER_SECOND, tick_ns) * plan.timeline.speed)
        fills = ("Live: TRADE_EXECUTION_DELAY is the fill delay in wall seconds (market seconds over the speed); a "
                 "market order fills on the first clock tick at least that long after submission, never the "
                 "submitting tick, at that tick's touch: fill_delay_ns is that effective delay in market time.")
    return VenueInfo(
        name="hummingbot MockPaperExchange (test_support), offline",
        fill_delay_ns=fill_delay_ns,
        fee_rate=spec.venue.fee_rate or 0.0,
        model=spec.venue.model,
        fees=f"{spec.venue.fee_bps:g} bps of the notional on every fill (matched: the run spec's)"
        if spec.venue.fee_rate is not None else "none (the paper exchange's default fee schema)",
        what=f"{fills} It is the reference replay's fill delay. Limit orders fill at their price once the touch "
        "crosses it. A venue model, not platform latency.",
        details={
            "trade_execution_delay_s": spec.venue.fill_delay_s,
            "trade_execution_delay_clock_s": clock_delay_s,
            "order_type": config.order_type,
            "limit_offset": config.limit_offset,
            "touch_size_floor": config.venue.touch_size_floor,
        },
    )


def _prepare_folder(platform_dir: Path) -> None:
    """Creates the run folder; a signal file left by an earlier run in the same folder is removed."""
    try:
        (platform_dir / SIGNALS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write the run folder ({exc.strerror})", platform_dir) from None
    leftover = platform_dir / SIGNALS_DIR / LATEST_SIGNAL
    if leftover.exists():
        log.warning("%s: removing the signal file of an earlier run", leftover)
        leftover.unlink()


def _input_digests(spec: RunSpec, inputs: RunInputs) -> dict:
    """Sizes and SHA-256 of the inputs (computed before a live timeline starts counting)."""
    quotes = inputs.quotes
    return {
        "quotes": {**file_digest(spec.quotes), "rows": quotes.rows, "first_ns": quotes.first_ns, "last_ns": quotes.last_ns},
        "signals": {**file_digest(spec.signals), "rows": len(inputs.signals)},
    }


def _write_run_json(
    spec: RunSpec, config: HummingbotConfig, inputs: RunInputs, digests: dict, plan: LivePlan | None = None,
    provider_args: list[str] | None = None,
) -> None:
    """``run.json``; a live run adds its plan and the provider's command line."""
    live = {**asdict(plan), "provider_command": provider_args} if plan is not None else None
    write_run_info(
        spec.platform_dir,
        spec=spec,
        venue=_venue(spec, config, plan),
        transport=describe_transport(config.transport, config.mqtt, inputs.instrument.hummingbot_pair),
        inputs=digests,
        platform={
            "pair": inputs.instrument.hummingbot_pair,
            "config": config,
            "journals": {"strategy": "events.jsonl", "provider": f"{PROVIDER_DIR}/events.jsonl", "signal_files": SIGNALS_DIR},
            "live": live,
        },
    )


def run(spec: RunSpec) -> RunResult:
    """Runs Hummingbot on ``spec``'s inputs; raises :class:`InputError` before starting on bad input."""
    started = time.perf_counter()
    config = platform_config(spec, HummingbotConfig)
    logging.getLogger("hummingbot").setLevel(HUMMINGBOT_LOG_LEVEL)
    inputs = load_inputs(spec)
    platform_dir = Path(spec.platform_dir)
    _prepare_folder(platform_dir)
    digests = _input_digests(spec, inputs)
    notes: list[str] = []
    details: dict = {}
    if spec.mode == "live":
        plan = plan_live(spec, config, inputs, time.time_ns())
        write_timeline(platform_dir, plan.timeline)
        provider_args = provider_command(spec, plan)
        _write_run_json(spec, config, inputs, digests, plan, provider_args)
        session, provider_code = run_live(spec, config, inputs, plan, provider_args)
        notes.append(f"speed {plan.timeline.speed:g}x, provider exit code {provider_code}")
    else:
        _write_run_json(spec, config, inputs, digests)
        session, clock = run_replay(spec, config, inputs)
        details = {"clock": config.replay_clock, "clock_steps": clock.steps, "clock_ticks": clock.ticks,
                   "clock_fill_steps": clock.fill_steps}
        notes.append(f"{config.replay_clock} clock: {clock.steps:,} steps over {clock.ticks:,} ticks of {config.tick_size_s:g} s")
    journal = session.strategy.journal
    when = "next tick at the earliest" if spec.mode == "live" else "exactly, at the quote in force then"
    notes.append(f"venue fill delay {spec.venue.fill_delay_s:g} s ({when}), {config.order_type} orders")
    if config.transport == MQTT:
        notes.append(f"signals over MQTT (QoS {config.mqtt.qos}, retain {config.mqtt.retain})")
    if journal.skipped:
        notes.append(f"{journal.skipped} signal file(s) skipped (journaled as signal_skipped)")
    if journal.errors:
        notes.append(f"{journal.errors} error(s) journaled")
    return RunResult(
        platform=PLATFORM,
        platform_dir=platform_dir,
        quotes=session.feeder.cursor.consumed,
        orders=journal.orders,
        fills=journal.fills,
        rejections=journal.rejections,
        wall_s=time.perf_counter() - started,
        notes=tuple(notes),
        details=details,
    )
