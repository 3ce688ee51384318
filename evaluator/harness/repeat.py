"""``run-both --repeat N``: the same comparison N times, each run in fresh processes into its own
folder under one root, then the combined figures across runs (``repeats.md``, ``repeats.json``)."""

from __future__ import annotations

from pathlib import Path

from evaluator.analysis.repeats import Repeats, repeats
from evaluator.console import err
from evaluator.harness.comparison import Columns
from evaluator.harness.run_both import run_both
from evaluator.harness.run_inputs import RunInputs
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from evaluator.report.build import Report
from evaluator.report.repeats import write_repeats
from evaluator.settings import load_settings
from shared_signals.contract.layout import claim_run_folder

RUN_FOLDER = "run-{k}"
"""Each repeat's own run folder under the root, numbered from 1."""


def repeat_run_both(
    columns: Columns, runs: int, config: SupervisorConfig = SupervisorConfig(), inputs: RunInputs | None = None
) -> tuple[list[Report], Repeats, dict[str, PlatformExit]]:
    """Runs ``runs`` comparisons one after another into the run folder/run-1 … and writes the combined
    figures. A run that does not end cleanly (a crash, Ctrl-C) ends the series: the runs finished so
    far are still combined."""
    base = columns.baseline_spec
    root = claim_run_folder(base.run_dir)
    reports: list[Report] = []
    exits: dict[str, PlatformExit] = {}
    for k in range(1, runs + 1):
        err.print(f"run {k} of {runs}")
        folder = RUN_FOLDER.format(k=k)
        report, run_exits = run_both(columns.with_shared(run_dir=root / folder, run_id=f"{base.run_id}-{k}"), config, inputs=inputs)
        reports.append(report)
        exits.update({f"{name} ({folder})": e for name, e in run_exits.items()})
        if any(e.returncode != 0 for e in run_exits.values()):
            err.print(f"run {k} did not end cleanly: no further repeats")
            break
    confidence = load_settings().confidence
    summary = repeats([report.analysis.summary for report in reports],
                      confidence.level, confidence.bootstrap_resamples, confidence.bootstrap_seed)
    write_repeats(root, summary, [Path(report.folder.name) for report in reports])
    return reports, summary, exits
