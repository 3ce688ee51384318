"""``poc-eval run-both``: every column (the platforms, and named variants of them) side by side on the
same inputs, then the report."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.inputs import add_input_options, check_run
from shared_signals.contract.run_info import new_run_id
from evaluator.console import err, out
from evaluator.harness.repeat import repeat_run_both
from evaluator.harness.run_both import run_both
from evaluator.report.numbers import fmt, percent
from evaluator.report.repeats import REPEATS_MD, confidence_words


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run-both",
        help="run every platform (and named variants) on the same inputs, each in its own process, then write the report",
        description="Runs the columns of --platforms side by side (demo data when no inputs are given), each in its own "
        "process, samples each process tree every second, and writes REPORT_ROOT/<run-id>/report.md, metrics.json and "
        "charts: every figure per column, every pairwise figure against the baseline.",
    )
    add_input_options(parser)
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root; the run goes to OUT/<run-id> (default reports/)")
    parser.add_argument("--repeat", type=repeat_count, default=1, metavar="N",
                        help=f"live: run the comparison N times ({MIN_REPEATS}-{MAX_REPEATS}), each in fresh processes, into "
                        "OUT/<run-id>/run-1 …, and combine them in repeats.md (median and range of each figure); a replay "
                        "is deterministic and runs once")
    parser.add_argument("--sensitivity", action="store_true",
                        help="replay: run beside the comparison each harness setting a user could reasonably choose otherwise "
                        "(a clock tick at its minimum, fill delay 0 and 2 s, quote-age limit 1 h, matched and native venues), "
                        "each as columns of the same run, and say under which settings the recommendation holds")
    parser.set_defaults(handler=handle)


MIN_REPEATS, MAX_REPEATS = 1, 20
"""``--repeat``'s range: twenty live comparisons are already hours of a user's machine."""


def repeat_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not MIN_REPEATS <= value <= MAX_REPEATS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from {MIN_REPEATS} to {MAX_REPEATS}")
    return value


def print_summary(report) -> None:
    analysis = report.analysis
    verdict = analysis.verdict
    names = analysis.names
    table = Table(title=f"run {analysis.run.run_id}")
    table.add_column("category")
    for name in names:
        table.add_column(name, justify="right")
    table.add_column("winner")
    for c in verdict.categories:
        table.add_row(c.category.replace("_", " "), *(fmt(c.scores[n]) for n in names), c.winner)
    table.add_row("[bold]overall[/]", *(f"[bold]{fmt(verdict.overall[n])}[/]" for n in names), f"[bold]{verdict.recommended}[/]")
    for label, get in (
        ("p99 signal→order (ms)", lambda m: fmt(m.latency_to_order.p99_ms)),
        ("filled as decided", lambda m: percent(m.accuracy.decided_share)),
        ("traded as the reference", lambda m: percent(m.accuracy.share)),
        ("trades", lambda m: fmt(m.trading.trades)),
        ("peak RSS (MB)", lambda m: fmt(m.resources.peak_rss_mb)),
    ):
        table.add_row(f"[dim]{label}[/]", *(get(analysis.figures.columns[n]) for n in names), "")
    out.print(table)
    out.print(f"report: [bold]{report.markdown}[/]")


def handle(args: argparse.Namespace) -> int:
    run_id = new_run_id()
    checked = check_run(args, args.out / run_id, run_id, folder=args.out / run_id)
    if args.repeat > 1 and checked.spec.mode == "replay":
        err.print(f"--repeat {args.repeat}: a replay is deterministic in market time (the same trades, fills and market-time "
                  "figures every run), so it runs once; repeats are for live runs")
    elif args.repeat > 1:
        reports, summary, exits = repeat_run_both(checked.columns, args.repeat, inputs=checked.inputs)
        print_summary(reports[-1])
        out.print(f"{confidence_words(summary)}\ncombined: [bold]{checked.spec.run_dir / REPEATS_MD}[/]")
        return supervised_exit_code(exits.values())
    report, exits = run_both(checked.columns, inputs=checked.inputs)
    print_summary(report)
    return supervised_exit_code(exits.values())
