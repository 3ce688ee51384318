"""``poc-eval compare-transports``: a provider-fed platform over the signal file and over MQTT, side by
side in one run: two columns of the platform, one a transport variant of the other. A shorthand for
``run-both --mode live --variant NAME=PLATFORM,transport=... --platforms ...``: the report's transport
section compares them, with both latency CDFs in one chart and the broker's own CPU."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from evaluator.commands.columns import key_dest
from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.inputs import add_input_options, check_inputs, run_files
from shared_signals.contract.run_info import new_run_id
from evaluator.commands.run_both import print_summary
from evaluator.harness.run_both import run_both
from shared_signals.config import NANOS_PER_MINUTE
from shared_signals.contract.layout import claim_run_folder
from shared_signals.contract.platforms import REGISTRY
from shared_signals.errors import InputError
from shared_signals.transport.kinds import TRANSPORTS

DEFAULT_SPEED = 240.0
"""A 5-minute signal every 1.25 wall seconds: about 100 signals per transport in two minutes, and
signal times that do not line up with the 1 s clock ticks (which would make every wait the same)."""
DEFAULT_DURATION_NS = 2 * NANOS_PER_MINUTE
PROVIDER_FED = [entry for entry in REGISTRY.values() if entry.provider is not None]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare-transports",
        help="run a provider-fed platform over the file and over MQTT side by side (same inputs, one run) and compare",
        description="Runs the platform live as two columns, one per transport (MQTT through --broker, the project's "
        "broker of scripts/mqtt/broker.sh when it runs, else a Mosquitto started for the run), then writes OUT/<run-id>/report.md whose transport section compares them: latency "
        "published → received → order, lost and duplicate messages, CPU, and one chart with both latency CDFs. "
        "Defaults: live, speed 240, 2 minutes.",
    )
    add_input_options(parser, several=False)
    parser.add_argument("--platform", choices=[e.name for e in PROVIDER_FED], default=PROVIDER_FED[0].name,
                        help=f"the provider-fed platform to compare over both transports (default {PROVIDER_FED[0].name})")
    parser.set_defaults(mode="live", speed=DEFAULT_SPEED, duration=DEFAULT_DURATION_NS)
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    parser.set_defaults(handler=handle)


@dataclass(frozen=True)
class TransportFlag:
    key: str
    flag: str | None
    dest: str


def transport_flag(platform: str) -> TransportFlag:
    """The platform's transport setting: its variant key, its flag and where argparse keeps that flag."""
    entry = REGISTRY[platform]
    key = next(k for k in entry.keys if k.field == entry.provider.transport_field)
    return TransportFlag(key.key, key.flag, key_dest(entry, key))


def transport_variants(platform: str) -> list[str]:
    """One variant of ``platform`` per transport: ``<platform>-file``, ``<platform>-mqtt``."""
    key = transport_flag(platform).key
    return [f"{platform}-{name}={platform},{key}={name}" for name in TRANSPORTS]


def handle(args: argparse.Namespace) -> int:
    if args.variant:
        raise InputError("compare-transports defines its own columns (one per transport): use run-both for other variants")
    args.variant = transport_variants(args.platform)
    names = [text.partition("=")[0] for text in args.variant]
    run_id = new_run_id()
    checked = check_inputs(args, run_files(args), args.out / run_id, run_id, names=names)
    flag = transport_flag(args.platform)
    if getattr(args, flag.dest) is not None:
        raise InputError(f"{flag.flag}: compare-transports runs every transport, one column each; leave {flag.flag} out")
    claim_run_folder(args.out / run_id)
    report, exits = run_both(checked.columns, inputs=checked.inputs)
    print_summary(report)
    return supervised_exit_code(exits.values())
