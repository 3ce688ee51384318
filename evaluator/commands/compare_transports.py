"""``poc-eval compare-transports``: Hummingbot over the signal file and over MQTT, one after the other
in one invocation, then one comparison page with both latency CDFs in one chart."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.inputs import add_input_options, check_run
from evaluator.commands.run import new_run_id
from evaluator.console import out
from evaluator.report.figures import fmt
from shared_signals.config import NANOS_PER_MINUTE

DEFAULT_SPEED = 240.0
"""A 5-minute signal every 1.25 wall seconds: about 100 signals per transport in two minutes, and
signal times that do not line up with the 1 s clock ticks (which would make every wait the same)."""
DEFAULT_DURATION_NS = 2 * NANOS_PER_MINUTE


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare-transports",
        help="run Hummingbot over the file and over MQTT (same inputs, one invocation) and compare the transports",
        description="Runs Hummingbot live once with --transport file and once with --transport mqtt (the broker of "
        "scripts/mqtt/broker.sh must be running), each a full run with its own report under OUT/<run-id>/<transport>/, "
        "then writes OUT/<run-id>/report.md: latency published → received → order, lost and duplicate messages, CPU, "
        "and one chart with both latency CDFs. Defaults: live, speed 240, 2 minutes per transport.",
    )
    add_input_options(parser, transport_option=False)  # it runs every transport
    parser.set_defaults(mode="live", speed=DEFAULT_SPEED, duration=DEFAULT_DURATION_NS)
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from evaluator.harness.broker import check_broker
    from evaluator.harness.transport_compare import HUMMINGBOT, compare_transports
    from shared_signals.contract.spec import MQTT

    run_id = new_run_id()
    checked = check_run(args, [HUMMINGBOT], args.out / run_id, run_id, folder=args.out / run_id)
    check_broker(MQTT, [HUMMINGBOT])
    comparison = compare_transports(checked.spec, inputs=checked.inputs)
    table = Table(title=f"transports, run {run_id}")
    table.add_column("figure")
    names = list(comparison.runs)
    for name in names:
        table.add_column(name, justify="right")
    transported = {n: e.transported() for n, e in comparison.runs.items()}
    for label, get in (
        ("published → received p50 (ms)", lambda f: fmt(f.to_received.p50_ms)),
        ("published → received p99 (ms)", lambda f: fmt(f.to_received.p99_ms)),
        ("received → order p99 (ms)", lambda f: fmt(f.received_to_order.p99_ms)),
        ("published → order p99 (ms)", lambda f: fmt(f.to_order.p99_ms)),
        ("lost / duplicates", lambda f: f"{f.lost} / {f.duplicates}"),
    ):
        table.add_row(label, *(get(transported[n].transport) if transported[n] is not None else "n/a" for n in names))
    out.print(table)
    out.print(f"report: [bold]{comparison.markdown}[/]")
    return supervised_exit_code(comparison.exits.values())
