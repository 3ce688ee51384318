"""Soak runs: both platforms live for a wall duration, inputs looped to cover it, faults injected on
schedule, the report with a soak section."""

from __future__ import annotations

import threading
from dataclasses import asdict, replace

from evaluator.harness.faults import Fault, InjectedFault, RuntimeFaults, apply_input_faults, check_faults
from evaluator.harness.looped_inputs import loop_inputs
from evaluator.report.build import Report
from evaluator.harness.run_both import run_both
from shared_signals.contract.spec import RunSpec
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from shared_signals.config import NANOS_PER_SECOND



def soak(base: RunSpec, platforms: list[str], faults: list[Fault], config: SupervisorConfig = SupervisorConfig()) -> tuple[Report, dict[str, PlatformExit]]:
    """``base.duration_ns`` is the wall duration; at ``base.speed`` it covers duration × speed of market time."""
    check_faults(faults, base.transport, platforms)
    wall_s = base.duration_ns / NANOS_PER_SECOND
    market_ns = int(base.duration_ns * (base.speed or 1.0))
    run_dir = base.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    quotes, signals, injected = apply_input_faults(faults, base.quotes, base.signals, run_dir)
    looped = loop_inputs(quotes, signals, base.instrument, base.core, market_ns, run_dir)
    options = replace(base, mode="live", quotes=looped.quotes, signals=looped.signals)

    lock = threading.Lock()
    records: list[InjectedFault] = list(injected)

    def record(fault: InjectedFault) -> None:
        with lock:
            records.append(fault)

    runtime_faults = RuntimeFaults(faults, run_dir, wall_s, record)

    def faults_injected() -> dict:
        runtime_faults.settle()
        return {"faults": [asdict(f) for f in sorted(records, key=lambda f: f.at_s)]}

    soak_info = {"wall_target_s": wall_s, "market_s": market_ns / NANOS_PER_SECOND, "copies": looped.copies}
    report, exits = run_both(
        options, platforms, config, extra_inputs={"soak": soak_info, "faults": []}, on_started=runtime_faults.start,
        late_inputs=faults_injected,
    )
    return report, exits
