"""``poc-eval run``: one column (a platform, or a named variant of one) on the given (or demo) inputs,
into a run folder, in this process (with the run's MQTT broker, when the column needs one)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.commands.inputs import add_input_options, check_run
from evaluator.console import out
from evaluator.harness.platform_code import load
from evaluator.harness.run_broker import broker_for
from shared_signals.contract.platforms import PLATFORM_NAMES, REGISTRY
from shared_signals.contract.process import run_and_record
from shared_signals.contract.run_info import new_run_id
from shared_signals.contract.spec import RunResult, RunSpec, write_spec


def run_platform(spec: RunSpec) -> RunResult:
    """Runs one platform in this process, through its registry entry, with its ``spec.json`` written
    as a supervised process gets it, and records its result."""
    write_spec(spec)
    return run_and_record(load(REGISTRY[spec.platform].runner), spec)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run one platform (or a variant of one) on the inputs and write its journal")
    parser.add_argument("--platform", required=True, metavar="NAME",
                        help=f"which platform ({', '.join(PLATFORM_NAMES)}) or variant (--variant) to run")
    add_input_options(parser, several=False)
    parser.add_argument("--out", type=Path, default=None, help="run folder (default runs/<run-id>)")
    parser.add_argument("--run-id", default=None, help="identifier written into every journal record (default: UTC time)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    run_id = args.run_id or new_run_id()
    run_dir = args.out or Path("runs") / run_id
    checked = check_run(args, run_dir, run_id, folder=run_dir / args.platform, names=[args.platform])
    with broker_for(checked.columns) as broker:
        result = run_platform(checked.spec if broker is None else broker.serve(checked.spec))
    table = Table(title=f"{result.platform} {args.mode} run", show_header=False)
    for name, value in (
        ("folder", str(result.platform_dir)), ("quotes", f"{result.quotes:,}"), ("orders", str(result.orders)),
        ("fills", str(result.fills)), ("risk rejections", str(result.rejections)), ("wall time", f"{result.wall_s:.2f} s"),
        *(("note", note) for note in result.notes),
    ):
        table.add_row(name, value)
    out.print(table)
    return 0
