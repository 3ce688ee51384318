"""The side-by-side run: validate inputs, supervise both platforms, replay the reference, report."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import pandas as pd
import psutil
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from evaluator.harness.broker import check_broker
from evaluator.console import err
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.reference import reference_for
from evaluator.report.build import Report, build_report
from evaluator.harness.preflight import preflight
from evaluator.harness.resources import BYTES_PER_MB
from evaluator.harness.run_inputs import RunInputs, read_run_inputs
from shared_signals.contract.run_info import file_digest, machine, package_versions
from shared_signals.contract.spec import RunSpec
from evaluator.harness.supervisor import PlatformExit, Progress as JournalProgress, Supervisor, SupervisorConfig
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.layout import INPUTS_JSON, PROCESS_LOG, WRITTEN_BY_RUN, claim_run_folder
from shared_signals.quotes import QuoteSpan


def describe_inputs(options: RunSpec, inputs: RunInputs) -> dict:
    """``inputs.json``: the run spec every platform was given (less the platform), the inputs'
    digests and spans, their overlap, the versions and the machine."""
    span = inputs.quotes
    return {
        "run_id": options.run_id,
        "spec": options.to_dict(),
        "quotes": {**file_digest(options.quotes), "rows": span.rows, "spacing_ns": span.spacing_ns,
                   "first": str(pd.Timestamp(span.first_ns, tz="UTC")), "last": str(pd.Timestamp(span.last_ns, tz="UTC"))},
        "signals": {**file_digest(options.signals), "rows": len(inputs.signals)},
        "overlap": asdict(inputs.overlap),
        "versions": package_versions(),
        "machine": machine(),
    }


class ProgressView:
    """One rich progress bar per supervised process, driven by the market time its journal has reached."""

    def __init__(self, progress: Progress, labels: list[str], span: QuoteSpan, duration_ns: int | None, mode: str) -> None:
        self.progress = progress
        self.span = span
        self.mode = mode
        self.duration_ns = duration_ns
        self.started = time.monotonic()
        self.tasks: dict[str, TaskID] = {name: progress.add_task(name, total=1.0, status="starting") for name in labels}

    def _fraction(self, journal: JournalProgress) -> float:
        if self.mode == "live" and self.duration_ns:
            return min(1.0, (time.monotonic() - self.started) * NANOS_PER_SECOND / self.duration_ns)
        if journal.sim_ts_ns is None or self.span.last_ns <= self.span.first_ns:
            return 0.0
        end = self.span.last_ns if not self.duration_ns else min(self.span.last_ns, self.span.first_ns + self.duration_ns)
        return max(0.0, min(1.0, (journal.sim_ts_ns - self.span.first_ns) / (end - self.span.first_ns)))

    def update(self, platform: str, journal: JournalProgress, exit_info: PlatformExit | None, sample: dict | None) -> None:
        if exit_info is not None:
            status = "[green]done[/]" if not exit_info.crashed else f"[red]exited {exit_info.returncode}[/]"
            fraction = 1.0 if not exit_info.crashed else self._fraction(journal)
        else:
            status = f"orders {journal.orders} · fills {journal.fills}" + (f" · [red]errors {journal.errors}[/]" if journal.errors else "")
            if sample is not None:
                status += f" · RSS {sample['rss_mb']:.0f} MB · CPU {sample['cpu_pct']:.0f}%"
            fraction = self._fraction(journal)
        self.progress.update(self.tasks[platform], completed=fraction, status=status)


def _last_line(path: Path) -> str:
    if not path.exists():
        return ""
    lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def write_inputs(run_dir: Path, inputs: dict) -> None:
    (run_dir / INPUTS_JSON).write_text(json.dumps(inputs, indent=2, default=str) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Supervised:
    """How a supervised run ended, and what supervising it cost the harness."""

    exits: dict[str, PlatformExit]
    interrupted: bool
    """The user pressed Ctrl-C: the platforms were stopped gracefully."""
    wall_s: float
    supervisor_cpu_pct: float
    sampling_cpu_pct: float
    supervisor_rss_start_mb: float
    supervisor_rss_end_mb: float

    def facts(self) -> dict:
        """The harness' own figures for ``inputs.json`` (everything but the exits)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "exits"}


def supervise(
    runs: list[RunSpec],
    config: SupervisorConfig,
    span: QuoteSpan,
    on_started: Callable[[Supervisor], None] | None = None,
) -> Supervised:
    """Runs every process of ``runs`` at once with a progress bar each, measuring the harness itself.

    Ctrl-C stops the platforms gracefully and returns what was collected. A crashed process gets one
    line: its exit code and the last line of its log.
    """
    supervisor = Supervisor(runs, config)
    labels = [supervisor.label(r) for r in runs]
    me = psutil.Process()
    cpu_before, wall_before = sum(me.cpu_times()[:2]), time.monotonic()
    rss_before = me.memory_info().rss / BYTES_PER_MB
    width = max(len(label) for label in labels)
    columns = (TextColumn(f"{{task.description:>{width}}}"), BarColumn(), TextColumn("{task.percentage:>5.1f}%"),
               TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[status]}"))
    interrupted = False
    with Progress(*columns, console=err, transient=False) as progress:
        view = ProgressView(progress, labels, span, runs[0].duration_ns, runs[0].mode)
        try:
            exits = supervisor.run(view.update, on_started)
        except KeyboardInterrupt:
            interrupted = True
            exits = supervisor.exits()
            err.print("[yellow]stopped by the user: writing the report from what was collected[/]")
    wall_s = time.monotonic() - wall_before
    supervised = Supervised(
        exits=exits,
        interrupted=interrupted,
        wall_s=wall_s,
        supervisor_cpu_pct=100.0 * (sum(me.cpu_times()[:2]) - cpu_before) / max(wall_s, 1e-9),
        sampling_cpu_pct=100.0 * supervisor.sampling_cpu_s() / max(wall_s, 1e-9),
        supervisor_rss_start_mb=rss_before,
        supervisor_rss_end_mb=me.memory_info().rss / BYTES_PER_MB,
    )
    for options, label in zip(runs, labels, strict=True):
        outcome = exits.get(label)
        if outcome is not None and outcome.crashed:
            last = _last_line(options.platform_dir / PROCESS_LOG)
            err.print(f"[red]{label} exited with code {outcome.returncode}[/]" + (f": {last}" if last else ""), soft_wrap=True, highlight=False)
    return supervised


def run_both(
    base: RunSpec,
    platforms: list[str],
    supervisor_config: SupervisorConfig = SupervisorConfig(),
    extra_inputs: dict | None = None,
    on_started: Callable[[Supervisor], None] | None = None,
    late_inputs: Callable[[], dict] | None = None,
    inputs: RunInputs | None = None,
) -> tuple[Report, dict[str, PlatformExit]]:
    """Runs ``platforms`` on ``base``'s inputs into ``base.run_dir`` and writes the report there.

    Ctrl-C stops the platforms gracefully and the report is still written from what was collected.
    ``on_started`` gets the supervisor once the platforms run (fault injection uses it);
    ``late_inputs`` adds facts known only after the run (the faults injected) to ``inputs.json``.
    ``inputs`` is what the caller's validation read of ``base``'s files; they are read here otherwise.
    """
    checked = inputs if inputs is not None else read_run_inputs(base)
    preflight(base, platforms)
    check_broker(base.transport, platforms)
    run_dir = claim_run_folder(base.run_dir)
    facts = {**describe_inputs(base, checked), **(extra_inputs or {})}
    write_inputs(run_dir, facts)

    supervised = supervise([replace(base, platform=name) for name in platforms], supervisor_config, checked.quotes, on_started)
    facts.update(supervised.facts())
    if late_inputs is not None:
        facts.update(late_inputs())
    write_inputs(run_dir, facts)
    reference_for(RunFolder.load(run_dir), WRITTEN_BY_RUN)
    return build_report(run_dir), supervised.exits
