"""``poc-eval report RUN_DIR``: rebuilds the report and charts from a run folder's saved files alone.

A finished run keeps the reference replay it wrote; only a run whose harness was killed before it
wrote one gets it rebuilt here, from the recorded inputs, and the report says so.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.analysis.run_folder import RunFolder
from evaluator.commands.exit_codes import EXIT_PLATFORM_CRASHED
from evaluator.commands.run_both import print_summary
from evaluator.console import err
from evaluator.harness.reference import restore_reference
from evaluator.report.build import build_report
from evaluator.report.verdict import doubt_words
from shared_signals.contract.layout import reference_written
from evaluator.settings import EVALUATION_TOML, FUTURE_POTENTIAL_TOML, load_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="rebuild report.md, metrics.json and charts of a run folder from its journals")
    parser.add_argument("run_dir", type=Path, help="the run folder, e.g. reports/20261121T060000Z")
    parser.add_argument("--settings", type=Path, default=EVALUATION_TOML, help="scoring weights and thresholds (TOML)")
    parser.add_argument("--future-potential", type=Path, default=FUTURE_POTENTIAL_TOML, help="subjective rubric (TOML)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings, args.future_potential)
    if not reference_written(args.run_dir):
        if restore_reference(RunFolder.load(args.run_dir)):
            err.print(f"[yellow]{args.run_dir}: the run wrote no reference replay; rebuilt it from the recorded inputs[/]")
        else:
            err.print(f"[yellow]{args.run_dir}: no reference replay, and the recorded inputs are gone or changed[/]")
    report = build_report(args.run_dir, settings)
    print_summary(report)
    analysis = report.analysis
    if not analysis.figures.trustworthy:
        why = "; ".join(doubt_words(d) for d in analysis.verdict.withheld) or "no column ran"
        err.print(f"[bold red]error:[/] {args.run_dir}: nothing in this run can be trusted: {why}", highlight=False, soft_wrap=True)
        return EXIT_PLATFORM_CRASHED
    return 0
