"""``poc-eval soak``: every column live for a long wall duration, optional injected faults."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.commands.inputs import add_input_options, check_inputs, run_files
from shared_signals.contract.run_info import new_run_id
from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.run_both import print_summary
from shared_signals.durations import parse_duration_ns
from evaluator.harness.faults import ALL_FAULTS, parse_fault, resolve_faults
from evaluator.harness.soak import soak
from shared_signals.contract.layout import claim_run_folder
from shared_signals.contract.platforms import DEFAULT_PLATFORMS
from shared_signals.errors import InputError

DEFAULT_SOAK = "24h"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "soak",
        help="run every column live for a long time (24h by default), then report memory, CPU and errors per hour",
        description="Live paper run of every column for --duration of wall time at --speed (market time = duration × "
        "speed; the inputs are looped with continuing timestamps when they are shorter). Ctrl-C stops early and still "
        "writes the report. Faults: " + ", ".join(ALL_FAULTS) + ".",
    )
    add_input_options(parser)
    parser.set_defaults(mode="live", speed=1.0, duration=None)
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="NAME[:COLUMN][@FRACTION]",
        help=f"inject a fault, e.g. kill:{DEFAULT_PLATFORMS[0]}@0.5, provider-stop@0.3, garbage-signal, signal-burst@0.2, data-gap@0.6 (a "
        "fault on a provider, a signal file or the broker strikes the one column offering it, or name the column); repeatable",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.mode != "live":
        raise InputError("a soak runs in live mode: --mode live (or leave --mode out)")
    faults = [parse_fault(text) for text in args.fault]
    args.duration = args.duration or parse_duration_ns(DEFAULT_SOAK)
    run_id = new_run_id()
    checked = check_inputs(args, run_files(args), args.out / run_id, run_id)
    resolve_faults(faults, checked.columns)
    claim_run_folder(args.out / run_id)
    report, exits = soak(checked.columns, faults)
    print_summary(report)
    return supervised_exit_code(exits.values())
