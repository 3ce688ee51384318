"""``poc-eval calibrate``'s runs: the same short replay of both platforms once without a delay and
once per delay at each injection point (venue fill, signal delivery), on demo data with a regular
quote grid, then the comparison of what was measured with what was injected
(:mod:`evaluator.analysis.calibration`)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from evaluator.analysis.calibration import (
    DELIVERY_STAGE,
    FILL_STAGE,
    CalibrationRow,
    Quantisation,
    calibration_rows,
    fill_delays_ms,
    receipt_delays_ms,
)
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from shared_signals.config import NANOS_PER_MS, NANOS_PER_SECOND
from shared_signals.contract.platforms import HUMMINGBOT, NAUTILUS
from shared_signals.contract.spec import RunSpec
from shared_signals.demo import DemoParams, write_demo

CALIBRATION_DEMO = DemoParams(hours=4.0, seed=21)
"""Four hours of 1 s quotes and 5-minute signals: some twenty fills per platform and run, a few seconds each."""
CALIBRATION_JSON = "calibration.json"
STAGE_FOLDERS = {FILL_STAGE: "fill-delay", DELIVERY_STAGE: "signal-delay"}


def quantisation(spec: RunSpec, quote_interval_ns: int, stage: str) -> dict[str, Quantisation]:
    """Each platform's rounding of an injected delay at ``stage``, stated exactly (see the analysis
    module): Nautilus acts on quotes, Hummingbot on ticks, and a Hummingbot fill takes a tick at least."""
    fill = stage == FILL_STAGE
    return {
        NAUTILUS.name: Quantisation(grid_ns=quote_interval_ns),
        HUMMINGBOT.name: Quantisation(grid_ns=spec.tick_size_ns, at_least_ns=spec.tick_size_ns if fill else 0),
    }


def injected(template: RunSpec, stage: str, delay_ns: int) -> RunSpec:
    """``template`` with ``delay_ns`` injected at ``stage``'s injection point."""
    if stage == FILL_STAGE:
        return replace(template, venue=replace(template.venue, fill_delay_s=delay_ns / NANOS_PER_SECOND))
    return replace(template, signal_delay_ns=delay_ns)


def calibrate(
    template: RunSpec, delays_ns: list[int], config: SupervisorConfig = SupervisorConfig()
) -> tuple[list[CalibrationRow], dict[str, PlatformExit]]:
    """Runs the baseline, then each of ``delays_ns`` at each injection point, one at a time, into
    ``template.run_dir``; writes and returns the rows."""
    root = template.run_dir
    files = write_demo(root / "inputs", CALIBRATION_DEMO)
    base = replace(template, quotes=files.quotes, signals=files.signals)
    platforms = [NAUTILUS.name, HUMMINGBOT.name]
    exits: dict[str, PlatformExit] = {}

    def run(spec: RunSpec, label: str) -> RunFolder:
        report, run_exits = run_both(replace(spec, run_dir=root / label), platforms, config)
        exits.update({f"{name} ({label})": e for name, e in run_exits.items()})
        return report.evaluation.run

    baseline = run(base, "baseline")
    measures = {FILL_STAGE: lambda r, p: fill_delays_ms(r.platforms[p].events),
                DELIVERY_STAGE: lambda r, p: receipt_delays_ms(r.platforms[p].events, r.schedule)}
    rows: list[CalibrationRow] = []
    quote_interval_ns = CALIBRATION_DEMO.quote_interval_s * NANOS_PER_SECOND
    for stage, measure in measures.items():
        measured = {0: {p: measure(baseline, p) for p in platforms}}
        for delay_ns in delays_ns:
            folder = run(injected(base, stage, delay_ns), f"{STAGE_FOLDERS[stage]}-{delay_ns // NANOS_PER_MS}ms")
            measured[delay_ns] = {p: measure(folder, p) for p in platforms}
        rows += calibration_rows(stage, measured, quantisation(template, quote_interval_ns, stage))
    (root / CALIBRATION_JSON).write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    return rows, exits
