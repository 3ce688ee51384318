"""The side-by-side run: validate inputs, supervise every column's platform, replay the reference, report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import msgspec
import pandas as pd
import psutil
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from evaluator.analysis.run_folder import RunFolder
from evaluator.console import err
from evaluator.harness.broker_use import BrokerUse
from evaluator.harness.comparison import Columns
from evaluator.harness.run_broker import RunBroker, broker_for
from evaluator.harness.side_work import SideWork
from evaluator.harness.preflight import preflight
from evaluator.harness.reference import reference_for
from evaluator.harness.resources import BYTES_PER_MB
from evaluator.harness.run_inputs import RunInputs, read_run_inputs
from evaluator.harness.supervisor import PlatformExit, Progress as JournalProgress, Supervisor, SupervisorConfig
from evaluator.report.build import Report, build_report
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.layout import PROCESS_LOG, WRITTEN_BY_RUN, claim_run_folder
from shared_signals.contract.record import (
    BrokerFacts,
    Complexity,
    FileFacts,
    HarnessFacts,
    InjectedFault,
    MachineFacts,
    OverlapFacts,
    QuoteFacts,
    RunRecord,
    SoakFacts,
    write_record,
)
from shared_signals.contract.run_info import file_digest, machine, package_versions
from shared_signals.contract.spec import RunSpec
from shared_signals.quotes import QuoteSpan


def run_record(columns: Columns, inputs: RunInputs, soak: SoakFacts | None = None,
               faults: tuple[InjectedFault, ...] = (), broker: BrokerFacts | None = None) -> RunRecord:
    """``inputs.json`` as the run starts: its columns, the inputs' digests and spans, their overlap,
    the versions, the machine and the MQTT broker."""
    base = columns.baseline_spec
    span = inputs.quotes
    stamp = lambda ns: str(pd.Timestamp(ns, tz="UTC"))  # noqa: E731 - one format for both ends
    return RunRecord(
        run_id=base.run_id, spec=base.to_dict(), columns=columns.records, baseline=columns.baseline,
        quotes=QuoteFacts(**file_digest(base.quotes), rows=span.rows, spacing_ns=span.spacing_ns,
                          first=stamp(span.first_ns), last=stamp(span.last_ns)),
        signals=FileFacts(**file_digest(base.signals), rows=len(inputs.signals)),
        overlap=OverlapFacts(inputs.overlap.signals, inputs.overlap.in_quote_span),
        versions=package_versions(), machine=MachineFacts(**machine()), soak=soak, faults=faults,
        sensitivity=columns.alternatives, broker=broker,
    )


def measured(
    record: RunRecord, supervised: Supervised, complexity: dict[str, Complexity], faults: tuple[InjectedFault, ...] = ()
) -> RunRecord:
    """The record once the platforms have run: what supervising them cost, the faults struck, and
    each platform's complexity (measured with the run, so the report needs neither source nor platform)."""
    return msgspec.structs.replace(
        record, harness=supervised.harness, interrupted=supervised.interrupted, faults=(*record.faults, *faults),
        complexity=complexity,
    )


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


@dataclass(frozen=True)
class Supervised:
    """How a supervised run ended, and what supervising it cost the harness."""

    exits: dict[str, PlatformExit]
    interrupted: bool
    """The user pressed Ctrl-C: the platforms were stopped gracefully."""
    harness: HarnessFacts


def supervise(
    runs: list[RunSpec],
    config: SupervisorConfig,
    span: QuoteSpan,
    on_started: Callable[[Supervisor], None] | None = None,
    broker: BrokerUse | None = None,
) -> Supervised:
    """Runs every process of ``runs`` at once with a progress bar each, measuring the harness itself
    (and ``broker``'s CPU when the run uses one).

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
    supervised = Supervised(exits, interrupted, HarnessFacts(
        wall_s=wall_s,
        supervisor_cpu_pct=100.0 * (sum(me.cpu_times()[:2]) - cpu_before) / max(wall_s, 1e-9),
        sampling_cpu_pct=100.0 * supervisor.sampling_cpu_s() / max(wall_s, 1e-9),
        supervisor_rss_start_mb=rss_before,
        supervisor_rss_end_mb=me.memory_info().rss / BYTES_PER_MB,
        broker_cpu_pct=None if broker is None else broker.cpu_pct(wall_s),
    ))
    for options, label in zip(runs, labels, strict=True):
        outcome = exits.get(label)
        if outcome is not None and outcome.crashed:
            last = _last_line(options.platform_dir / PROCESS_LOG)
            err.print(f"[red]{label} exited with code {outcome.returncode}[/]" + (f": {last}" if last else ""), soft_wrap=True, highlight=False)
    return supervised


def _supervise_columns(
    columns: Columns, config: SupervisorConfig, span: QuoteSpan, on_started: Callable[[Supervisor], None] | None,
    broker: RunBroker | None,
) -> Supervised:
    """The comparison's columns, then (``--sensitivity``, unless the user stopped it) the alternatives'."""
    use = None if broker is None else broker.use
    supervised = supervise(list(columns.compared_specs), config, span, on_started, use)
    if columns.alternatives and not supervised.interrupted:
        err.print(f"--sensitivity: {len(columns.specs) - len(columns.compared_specs)} columns with other harness settings")
        alternatives = supervise(list(columns.alternative_specs), config, span, None, use)
        supervised = replace(supervised, exits={**supervised.exits, **alternatives.exits},
                             interrupted=supervised.interrupted or alternatives.interrupted)
    return supervised


def run_both(
    columns: Columns,
    supervisor_config: SupervisorConfig = SupervisorConfig(),
    on_started: Callable[[Supervisor], None] | None = None,
    inputs: RunInputs | None = None,
    soak: SoakFacts | None = None,
    faults: tuple[InjectedFault, ...] = (),
    late_faults: Callable[[], tuple[InjectedFault, ...]] | None = None,
) -> tuple[Report, dict[str, PlatformExit]]:
    """Runs every column of ``columns`` on the same inputs into the baseline spec's run folder and
    writes the report there.

    Ctrl-C stops the platforms gracefully and the report is still written from what was collected.
    ``on_started`` gets the supervisor once the platforms run (fault injection uses it); ``faults`` are
    those already applied to the inputs, ``late_faults`` returns those struck during the run.
    ``inputs`` is what the caller's validation read of the files; they are read here otherwise. The
    MQTT columns' broker (:mod:`evaluator.harness.run_broker`) serves them while the platforms run.
    """
    base = columns.baseline_spec
    checked = inputs if inputs is not None else read_run_inputs(base)
    preflight(columns.specs)
    with broker_for(columns) as broker:
        served = columns if broker is None else broker.serve_columns(columns)
        run_dir = claim_run_folder(base.run_dir)
        record = run_record(served, checked, soak, faults, None if broker is None else broker.facts)
        write_record(run_dir, record)
        side = SideWork(served, checked.quotes.last_ns)
        try:
            supervised = _supervise_columns(served, supervisor_config, checked.quotes, on_started, broker)
            struck = late_faults() if late_faults is not None else ()  # before the broker stops: a restart may be under way
        except BaseException:
            side.close()
            raise
    try:
        write_record(run_dir, measured(record, supervised, side.complexity(), struck))
        run = RunFolder.load(run_dir)
        reference_for(run, WRITTEN_BY_RUN, side.reference(run))
    finally:
        side.close()
    return build_report(run_dir, run=run.with_reference()), supervised.exits
