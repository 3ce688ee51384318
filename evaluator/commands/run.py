"""``poc-eval run``: one platform on the given (or demo) inputs, into a run folder."""

from __future__ import annotations

import argparse
import importlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

from evaluator.console import out
from evaluator.demo_inputs import ensure_demo_data
from evaluator.durations import duration_arg, speed_arg
from evaluator.run_options import PLATFORMS, TRANSPORTS, RunOptions, RunResult, read_core_config, write_result
from shared_signals.config import NANOS_PER_SECOND, DecisionParams, LoaderParams, SignalCoreConfig
from shared_signals.errors import InputError

PLATFORM_APPS = {"nautilus": "poc_nautilus.app", "hummingbot": "poc_hummingbot.app"}


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def add_input_options(parser: argparse.ArgumentParser, transport_option: bool = True) -> None:
    """Options every platform-running command shares; ``--transport`` only where the user chooses it."""
    parser.add_argument("--mode", choices=("replay", "live"), default="replay",
                        help="replay: simulated clock, as fast as possible; live: wall clock, paper venue")
    parser.add_argument("--quotes", type=Path, help="quote file (.parquet); demo data when omitted")
    parser.add_argument("--signals", type=Path, help="signal file (.pkl, .parquet, .csv); demo data when omitted")
    parser.add_argument("--instrument", default="BTCUSDT", help="instrument, any spelling: BTCUSDT, BTCUSDT.BINANCE, BTC-USDT")
    parser.add_argument("--speed", type=speed_arg, default=None,
                        help="live mode: 1 = real time, 10 = ten times faster, max = as fast as possible (default max)")
    parser.add_argument("--duration", type=duration_arg, default=None,
                        help="stop after this much time, e.g. 90s, 5m, 1h, 24h (default: until the data ends)")
    parser.add_argument("--tolerance", type=duration_arg, default=LoaderParams().tolerance_ns,
                        help="how long a signal stays in force, e.g. 5m; hourly signals need about 1h (default 5m)")
    parser.add_argument("--tick-size", type=duration_arg, default=NANOS_PER_SECOND,
                        help="Hummingbot clock tick, e.g. 1s, 500ms (default 1s)")
    if transport_option:
        parser.add_argument("--transport", choices=TRANSPORTS, default="file",
                            help="Hummingbot's signal link: file (latest_signal.json, default) or mqtt (the Mosquitto broker "
                            "of scripts/mqtt/broker.sh, Hummingbot's AI-livestream format, QoS 1, not retained)")
    else:
        parser.set_defaults(transport=TRANSPORTS[0])
    parser.add_argument("--decision-rule", choices=("shared", "ai_livestream"), default="shared",
                        help="shared: the seed 000 rule on prob_up and side (default); ai_livestream: Hummingbot's "
                        "AI-livestream controller rule on [short, neutral, long] (both platforms, same risk gate)")


def options_from_args(args: argparse.Namespace, platform: str, run_dir: Path, run_id: str) -> RunOptions:
    quotes, signals = args.quotes, args.signals
    if (quotes is None) != (signals is None):
        raise InputError("give both --quotes and --signals, or neither for the demo data")
    if quotes is None:
        demo = ensure_demo_data()
        quotes, signals = demo.quotes, demo.signals
    core = SignalCoreConfig(decision=DecisionParams(rule=args.decision_rule), loader=LoaderParams(tolerance_ns=args.tolerance))
    return RunOptions(
        platform=platform, mode=args.mode, quotes=quotes, signals=signals, run_dir=run_dir, run_id=run_id,
        instrument=args.instrument, speed=args.speed, duration_ns=args.duration, tick_size_ns=args.tick_size, core=core,
        transport=args.transport,
    )


def run_platform(options: RunOptions) -> RunResult:
    """Runs one platform in this process and records its result (the supervisor's child does this)."""
    app = importlib.import_module(PLATFORM_APPS[options.platform])
    result = app.run(options)
    write_result(result)
    return result


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run one platform on the inputs and write its journal")
    parser.add_argument("--platform", choices=PLATFORMS, required=True, help="which platform to run")
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=None, help="run folder (default runs/<run-id>)")
    parser.add_argument("--run-id", default=None, help="identifier written into every journal record (default: UTC time)")
    parser.add_argument("--starting-quote", type=float, default=RunOptions.__dataclass_fields__["starting_quote"].default,
                        help="paper balance in quote currency on the venue (default 100000)")
    parser.add_argument("--starting-base", type=float, default=RunOptions.__dataclass_fields__["starting_base"].default,
                        help="paper balance in base currency: the inventory a spot short sells (default 1)")
    parser.add_argument("--core-config", type=Path, default=None,
                        help="the whole signal-core configuration as JSON (as the supervisor writes it); overrides "
                        "--tolerance and --decision-rule")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    run_id = args.run_id or new_run_id()
    run_dir = args.out or Path("runs") / run_id
    options = replace(
        options_from_args(args, args.platform, run_dir, run_id), starting_quote=args.starting_quote, starting_base=args.starting_base
    )
    if args.core_config is not None:
        options = replace(options, core=read_core_config(args.core_config))
    result = run_platform(options)
    table = Table(title=f"{result.platform} {args.mode} run", show_header=False)
    for name, value in (
        ("folder", str(result.platform_dir)), ("quotes", f"{result.quotes:,}"), ("orders", str(result.orders)),
        ("fills", str(result.fills)), ("risk rejections", str(result.rejections)), ("wall time", f"{result.wall_s:.2f} s"),
        *(("note", note) for note in result.notes),
    ):
        table.add_row(name, value)
    out.print(table)
    return 0
