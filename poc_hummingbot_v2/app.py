"""``poc_hummingbot_v2.app.run``: one live paper run of Hummingbot V2 into ``RUN_DIR/<column>``.

Writes what every column writes (``events.jsonl`` + parquet, ``run.json``, ``timeline.json``; the
process writes ``result.json``), the provider's journal under ``provider/``, and Hummingbot's own
``MarketsRecorder`` database. Inputs are validated in full before the clock starts.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from pathlib import Path

from poc_hummingbot.inputs import RunInputs, load_inputs
from poc_hummingbot.live import LivePlan, plan_live
from poc_hummingbot.transport import describe_transport
from poc_hummingbot.venue import live_fill_delay_ns
from poc_hummingbot_v2.config import CONNECTOR_NAME, PLATFORM, PROVIDER_DIR, RECORDER_DB, HummingbotV2Config
from shared_signals.contract.run_info import VenueInfo, file_digest, write_run_info
from shared_signals.contract.spec import RunResult, RunSpec, platform_config
from shared_signals.contract.timeline import write_timeline
from shared_signals.errors import InputError

HUMMINGBOT_LOG_LEVEL = logging.ERROR


def _venue(spec: RunSpec, config: HummingbotV2Config, plan: LivePlan) -> VenueInfo:
    tick_ns = config.tick_size_ns
    clock_delay_s = plan.trade_execution_delay_s
    fill_delay_ns = round(live_fill_delay_ns(clock_delay_s, config.tick_size_s, tick_ns) * plan.timeline.speed)
    return VenueInfo(
        name="hummingbot MockPaperExchange (test_support) with the V2 connector adapter, offline",
        fill_delay_ns=fill_delay_ns,
        fee_rate=spec.venue.fee_rate or 0.0,
        model=spec.venue.model,
        fees=f"{spec.venue.fee_bps:g} bps of the notional on every fill (matched: the run spec's)"
        if spec.venue.fee_rate is not None else "none (the paper exchange's default fee schema)",
        what="Live: TRADE_EXECUTION_DELAY is the venue's fill delay in wall seconds (market seconds over the speed); "
        "a market order an executor places fills on the first clock tick at least that long after, never the tick it "
        "was placed on, at that tick's touch: fill_delay_ns is that delay in market time. Executors place orders from "
        "their own 1 s wall-clock loop, and every close (barrier, signal, end of run) is a market order. A venue model, "
        "not platform latency.",
        details={"trade_execution_delay_s": spec.venue.fill_delay_s, "trade_execution_delay_clock_s": clock_delay_s,
                 "touch_size_floor": config.touch_size_floor},
    )


def _barriers(spec: RunSpec, plan: LivePlan) -> dict:
    """The core's exits as the executors count them: the time limit in whole wall seconds."""
    exits = spec.core.exits
    wall = None if exits.time_limit_s is None else max(1, round(exits.time_limit_s / plan.timeline.speed))
    return {**asdict(exits), "time_limit_wall_s": wall,
            "time_limit_market_s": None if wall is None else wall * plan.timeline.speed,
            "open_order_type": "MARKET", "close_order_type": "MARKET"}


def _write_run_json(spec: RunSpec, config: HummingbotV2Config, inputs: RunInputs, plan: LivePlan, provider_args: list[str]) -> None:
    quotes = inputs.quotes
    pair = inputs.instrument.hummingbot_pair
    write_run_info(
        spec.platform_dir, spec=spec, venue=_venue(spec, config, plan),
        transport=describe_transport(config.transport, config.mqtt, pair),
        inputs={
            "quotes": {**file_digest(spec.quotes), "rows": quotes.rows, "first_ns": quotes.first_ns, "last_ns": quotes.last_ns},
            "signals": {**file_digest(spec.signals), "rows": len(inputs.signals)},
        },
        platform={
            "pair": pair, "connector": CONNECTOR_NAME, "config": config,
            "framework": "StrategyV2Base + DirectionalTradingControllerBase (AI-livestream design) + ExecutorOrchestrator + "
            "PositionExecutor, spot, leverage 1, ONEWAY, one executor at a time",
            "barriers": _barriers(spec, plan),
            "journals": {"strategy": "events.jsonl", "provider": f"{PROVIDER_DIR}/events.jsonl", "recorder": RECORDER_DB},
            "live": {**asdict(plan), "provider_command": provider_args},
        },
    )


def run(spec: RunSpec) -> RunResult:
    """Runs Hummingbot V2 live on ``spec``'s inputs; :class:`InputError` before starting on bad input."""
    started = time.perf_counter()
    if spec.mode != "live":
        raise InputError(f"{PLATFORM} runs live only: its controller and executors loop on wall-clock sleeps")
    config = platform_config(spec, HummingbotV2Config)
    from poc_hummingbot_v2.live import provider_command, run_live  # imports Hummingbot; refuses another version

    logging.getLogger("hummingbot").setLevel(HUMMINGBOT_LOG_LEVEL)
    inputs = load_inputs(spec)
    platform_dir = Path(spec.platform_dir)
    try:
        platform_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write the run folder ({exc.strerror})", platform_dir) from None
    plan = plan_live(spec, config, inputs, time.time_ns())
    write_timeline(platform_dir, plan.timeline)
    provider_args = provider_command(spec, config, plan)
    _write_run_json(spec, config, inputs, plan, provider_args)
    session, provider_code = run_live(spec, config, inputs, plan, provider_args)
    steps = session.steps
    notes = [
        f"speed {plan.timeline.speed:g}x, provider exit code {provider_code}",
        f"venue fill delay {spec.venue.fill_delay_s:g} s (next tick at the earliest), market orders",
        f"signals over MQTT (QoS {config.mqtt.qos}, retain {config.mqtt.retain})",
    ]
    if steps.skipped:
        notes.append(f"{steps.skipped} signal(s) skipped (journaled as signal_skipped)")
    if steps.errors:
        notes.append(f"{steps.errors} error(s) journaled")
    return RunResult(
        platform=PLATFORM, platform_dir=platform_dir, quotes=session.feeder.cursor.consumed, orders=steps.orders,
        fills=steps.fills, rejections=steps.rejections, wall_s=time.perf_counter() - started, notes=tuple(notes),
        details={"fill_delay_clock_s": plan.trade_execution_delay_s, "speed": plan.timeline.speed,
                 "shutdown_s": config.shutdown_s, "tick_s": config.tick_size_s},
    )
