"""``poc-eval calibrate``'s runs: the same short replay of both platforms once without and once per
injected venue fill delay, on demo data with a regular quote grid, then the comparison of what was
measured with what was injected (:mod:`evaluator.analysis.calibration`)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from evaluator.analysis.calibration import CalibrationRow, Quantisation, calibration_rows
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.platforms import HUMMINGBOT, NAUTILUS
from shared_signals.contract.spec import RunSpec
from shared_signals.demo import DemoParams, write_demo

CALIBRATION_DEMO = DemoParams(hours=4.0, seed=21)
"""Four hours of 1 s quotes and 5-minute signals: some twenty fills per platform and run, a few seconds each."""
CALIBRATION_JSON = "calibration.json"


def quantisation(spec: RunSpec, quote_interval_ns: int) -> dict[str, Quantisation]:
    """Each venue's rounding of a fill delay, stated exactly (see the analysis module)."""
    return {
        NAUTILUS.name: Quantisation(grid_ns=quote_interval_ns),
        HUMMINGBOT.name: Quantisation(grid_ns=spec.tick_size_ns, at_least_ns=spec.tick_size_ns),
    }


def calibrate(
    template: RunSpec, delays_ns: list[int], config: SupervisorConfig = SupervisorConfig()
) -> tuple[list[CalibrationRow], dict[str, PlatformExit]]:
    """Runs the baseline and each of ``delays_ns`` into ``template.run_dir``; writes and returns the rows."""
    root = template.run_dir
    files = write_demo(root / "inputs", CALIBRATION_DEMO)
    platforms = [NAUTILUS.name, HUMMINGBOT.name]
    runs, exits = {}, {}
    for delay_ns in [0, *delays_ns]:
        spec = replace(template, quotes=files.quotes, signals=files.signals, run_dir=root / f"delay-{delay_ns // 1_000_000}ms",
                       venue=replace(template.venue, fill_delay_s=delay_ns / NANOS_PER_SECOND))
        report, run_exits = run_both(spec, platforms, config)
        exits.update({f"{name} at {delay_ns // 1_000_000} ms": e for name, e in run_exits.items()})
        run = RunFolder.load(report.folder)
        runs[delay_ns] = {name: record.events for name, record in run.platforms.items()}
    rows = calibration_rows(runs, quantisation(template, CALIBRATION_DEMO.quote_interval_s * NANOS_PER_SECOND))
    (root / CALIBRATION_JSON).write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    return rows, exits
