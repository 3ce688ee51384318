"""Soak runs: every column live for a wall duration, inputs looped to cover it, faults injected on
schedule, the report with a soak section."""

from __future__ import annotations

import threading

from evaluator.harness.comparison import Columns
from evaluator.harness.faults import Fault, RuntimeFaults, apply_input_faults, resolve_faults
from evaluator.harness.looped_inputs import loop_inputs
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from evaluator.report.build import Report
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.modes import LIVE
from shared_signals.contract.record import InjectedFault, SoakFacts


def soak(columns: Columns, faults: list[Fault], config: SupervisorConfig = SupervisorConfig()) -> tuple[Report, dict[str, PlatformExit]]:
    """The shared ``duration_ns`` is the wall duration; at ``speed`` it covers duration × speed of market time."""
    faults = resolve_faults(faults, columns)
    base = columns.baseline_spec
    wall_s = base.duration_ns / NANOS_PER_SECOND
    market_ns = int(base.duration_ns * (base.speed or 1.0))
    run_dir = base.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    quotes, signals, injected = apply_input_faults(faults, base.quotes, base.signals, run_dir)
    looped = loop_inputs(quotes, signals, base.instrument, base.core, market_ns, run_dir)
    live = columns.with_shared(mode=LIVE, quotes=looped.quotes, signals=looped.signals)

    lock = threading.Lock()
    records: list[InjectedFault] = []

    def record(fault: InjectedFault) -> None:
        with lock:
            records.append(fault)

    runtime_faults = RuntimeFaults(faults, live, wall_s, record)

    def struck() -> tuple[InjectedFault, ...]:
        runtime_faults.settle()
        return tuple(sorted(records, key=lambda f: f.at_s))

    facts = SoakFacts(wall_target_s=wall_s, market_s=market_ns / NANOS_PER_SECOND, copies=looped.copies)
    return run_both(live, config, on_started=runtime_faults.start, soak=facts, faults=tuple(injected), late_faults=struck)
