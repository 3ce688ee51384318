"""``poc-eval run``: one platform on the given (or demo) inputs, into a run folder.

The options every platform-running command shares are defined here once (:func:`add_input_options`)
and turn into one :class:`RunSpec` (:func:`spec_from_args`): the only thing a platform is given.
"""

from __future__ import annotations

import argparse
import importlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from rich.table import Table

from evaluator.console import err, out
from evaluator.durations import duration_arg, speed_arg
from evaluator.harness.demo_inputs import ensure_demo_data
from poc_hummingbot.config import HummingbotConfig, OrderTypeName
from shared_signals.config import (
    DEFAULT_STARTING_BASE,
    DEFAULT_STARTING_QUOTE,
    NANOS_PER_SECOND,
    DecisionRule,
    SignalCoreConfig,
)
from shared_signals.contract.layout import refuse_a_used_folder
from shared_signals.contract.platforms import HUMMINGBOT, PLATFORM_NAMES, REGISTRY
from shared_signals.contract.process import run_and_record
from shared_signals.bar import detect_bar
from shared_signals.contract.spec import (
    DEFAULT_TICK_NS,
    FILE,
    MODES,
    TRANSPORTS,
    RunResult,
    RunSpec,
    SettingSource,
    write_spec,
)
from shared_signals.errors import InputError
from shared_signals.instruments import DEFAULT_INSTRUMENT
from shared_signals.loader import load_signals
from shared_signals.overlap import signal_overlap
from shared_signals.quotes import quote_span
from shared_signals.table import SignalTable


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def add_input_options(parser: argparse.ArgumentParser, transport_option: bool = True) -> None:
    """Options every platform-running command shares; ``--transport`` only where the user chooses it."""
    parser.add_argument("--mode", choices=MODES, default="replay",
                        help="replay: simulated clock, as fast as possible; live: wall clock, paper venue")
    parser.add_argument("--quotes", type=Path, help="quote file (.parquet); demo data when omitted")
    parser.add_argument("--signals", type=Path, help="signal file (.pkl, .parquet, .csv); demo data when omitted")
    parser.add_argument("--instrument", default=None,
                        help="instrument, any spelling: BTCUSDT, BTCUSDT.BINANCE, BTC-USDT (default: the signal file's "
                        f"only instrument; {DEFAULT_INSTRUMENT} when it names none; a file with several needs this)")
    parser.add_argument("--speed", type=speed_arg, default=None,
                        help="live mode: 1 = real time, 10 = ten times faster, max = as fast as possible (default max)")
    parser.add_argument("--duration", type=duration_arg, default=None,
                        help="stop after this much time, e.g. 90s, 5m, 1h, 24h (default: until the data ends)")
    parser.add_argument("--tolerance", type=duration_arg, default=None,
                        help="how long a signal stays in force, e.g. 5m, 1h (default: the signal file's own bar, "
                        "read off its timestamps: hourly rows stay in force for an hour)")
    parser.add_argument("--tick-size", type=duration_arg, default=None,
                        help="Hummingbot's clock tick, e.g. 1s, 500ms: an order fills one tick after it is placed "
                        "(default 1s, Hummingbot's own); in replay the clock steps only on ticks where something can happen")
    if transport_option:
        parser.add_argument("--transport", choices=TRANSPORTS, default=FILE,
                            help="Hummingbot's signal link: file (latest_signal.json, default) or mqtt (the Mosquitto broker "
                            "of scripts/mqtt/broker.sh, Hummingbot's AI-livestream format, QoS 1, not retained)")
    else:
        parser.set_defaults(transport=FILE)
    parser.add_argument("--decision-rule", choices=get_args(DecisionRule), default=None,
                        help="shared: the seed 000 rule on prob_up and side (default); ai_livestream: Hummingbot's "
                        "AI-livestream controller rule on [short, neutral, long] (both platforms, same risk gate)")
    parser.add_argument("--core-config", type=Path, default=None,
                        help="the signal-core configuration as JSON (any subset of shared_signals/config.py's "
                        "settings); --tolerance and --decision-rule, when given, take precedence")
    parser.add_argument("--starting-quote", type=float, default=DEFAULT_STARTING_QUOTE,
                        help=f"paper balance in quote currency on every venue (default {DEFAULT_STARTING_QUOTE:g})")
    parser.add_argument("--starting-base", type=float, default=DEFAULT_STARTING_BASE,
                        help=f"paper balance in base currency: the inventory a spot short sells (default {DEFAULT_STARTING_BASE:g})")
    hummingbot = HummingbotConfig()
    parser.add_argument("--order-type", choices=get_args(OrderTypeName), default=None,
                        help=f"Hummingbot's order type (default {hummingbot.order_type}); limit orders sit at the touch "
                        "plus --limit-offset and are cancelled after --limit-timeout")
    parser.add_argument("--limit-offset", type=float, default=None,
                        help=f"Hummingbot limit orders: fraction above the ask / below the bid (default {hummingbot.limit_offset:g})")
    parser.add_argument("--limit-timeout", type=duration_arg, default=None,
                        help=f"Hummingbot limit orders: market time before an unfilled one is cancelled "
                        f"(default {hummingbot.limit_timeout_s:g}s)")
    parser.add_argument("--hummingbot-config", type=Path, default=None,
                        help="Hummingbot's settings as JSON (any subset of poc_hummingbot/config.py's HummingbotConfig); "
                        "the three flags above, when given, take precedence")


def _read_json(path: Path, what: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a {what} (JSON): {exc}", path) from None
    if not isinstance(data, dict):
        raise InputError(f"not a {what}: expected a JSON object", path)
    return data


def core_from_args(
    args: argparse.Namespace, data: dict, core: SignalCoreConfig, table: SignalTable
) -> tuple[SignalCoreConfig, SettingSource]:
    """``core`` (the core config file's ``data``, or the defaults) with ``--tolerance`` and
    ``--decision-rule`` on top; the tolerance is the signal file's bar when neither the flag nor the
    file sets it. Also says which."""
    if args.decision_rule is not None:
        core = replace(core, decision=replace(core.decision, rule=args.decision_rule))
    if args.tolerance is not None:
        tolerance, source = args.tolerance, "flag"
    elif "tolerance_ns" in data.get("loader", {}):
        return core, "config_file"
    else:
        tolerance, source = detect_bar(table.ts_ns, core.loader.bar_fit_share, table.source).bar_ns, "signal_bar"
    return replace(core, loader=replace(core.loader, tolerance_ns=tolerance)), source


def core_config_file(args: argparse.Namespace) -> tuple[dict, SignalCoreConfig]:
    """The ``--core-config`` file's settings and the config they make (a bad value names the file),
    or none and the defaults."""
    if args.core_config is None:
        return {}, SignalCoreConfig()
    data = _read_json(args.core_config, "signal-core configuration")
    try:
        return data, SignalCoreConfig.from_dict(data)
    except InputError as exc:
        raise InputError(exc.what, args.core_config) from None


def hummingbot_settings_from_args(args: argparse.Namespace) -> dict:
    """Hummingbot's own settings: its config file, then the order flags; checked now, by its config type."""
    data = _read_json(args.hummingbot_config, "Hummingbot configuration") if args.hummingbot_config is not None else {}
    flags = {"order_type": args.order_type, "limit_offset": args.limit_offset,
             "limit_timeout_s": None if args.limit_timeout is None else args.limit_timeout / NANOS_PER_SECOND}
    data = {**data, **{k: v for k, v in flags.items() if v is not None}}
    try:
        return HummingbotConfig.from_dict(data).to_settings()
    except InputError as exc:
        raise InputError(exc.what, args.hummingbot_config) from None


def spec_from_args(args: argparse.Namespace, platform: str, run_dir: Path, run_id: str) -> RunSpec:
    quotes, signals = args.quotes, args.signals
    if (quotes is None) != (signals is None):
        raise InputError("give both --quotes and --signals, or neither for the demo data")
    if quotes is None:
        demo = ensure_demo_data()
        quotes, signals = demo.quotes, demo.signals
    for path in (quotes, signals):
        if path.is_dir():
            raise InputError("is a folder, expected a file", path)
        if not path.is_file():
            raise InputError("file not found", path)
    data, from_file = core_config_file(args)
    table = load_signals(signals, args.instrument, from_file.loader, from_file.side, from_file.regime)
    core, tolerance_from = core_from_args(args, data, from_file, table)
    span = quote_span(quotes)
    overlap = signal_overlap(table.ts_ns, core.loader.tolerance_ns, span.first_ns, span.last_ns, signals)
    if overlap.partial:
        err.print(f"note: {overlap.in_quote_span:,} of {overlap.signals:,} signals fall within the quotes' time span",
                  highlight=False)
    return RunSpec(
        platform=platform, mode=args.mode, quotes=quotes, signals=signals, run_dir=run_dir, run_id=run_id,
        instrument=table.symbol, speed=args.speed, duration_ns=args.duration,
        tick_size_ns=args.tick_size or DEFAULT_TICK_NS, tick_from="default" if args.tick_size is None else "flag",
        core=core, tolerance_from=tolerance_from, transport=args.transport, starting_quote=args.starting_quote,
        starting_base=args.starting_base, platform_settings={HUMMINGBOT.name: hummingbot_settings_from_args(args)},
    )


def run_platform(spec: RunSpec) -> RunResult:
    """Runs one platform in this process, through its registry entry, with its ``spec.json`` written
    as a supervised process gets it, and records its result."""
    module, function = REGISTRY[spec.platform].runner.split(":")
    write_spec(spec)
    return run_and_record(getattr(importlib.import_module(module), function), spec)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run one platform on the inputs and write its journal")
    parser.add_argument("--platform", choices=PLATFORM_NAMES, required=True, help="which platform to run")
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=None, help="run folder (default runs/<run-id>)")
    parser.add_argument("--run-id", default=None, help="identifier written into every journal record (default: UTC time)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    run_id = args.run_id or new_run_id()
    run_dir = args.out or Path("runs") / run_id
    refuse_a_used_folder(run_dir / args.platform)
    result = run_platform(spec_from_args(args, args.platform, run_dir, run_id))
    table = Table(title=f"{result.platform} {args.mode} run", show_header=False)
    for name, value in (
        ("folder", str(result.platform_dir)), ("quotes", f"{result.quotes:,}"), ("orders", str(result.orders)),
        ("fills", str(result.fills)), ("risk rejections", str(result.rejections)), ("wall time", f"{result.wall_s:.2f} s"),
        *(("note", note) for note in result.notes),
    ):
        table.add_row(name, value)
    out.print(table)
    return 0
