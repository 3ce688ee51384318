"""File vs MQTT, measured in one invocation: Hummingbot runs once per transport, one after the other, on
the same inputs (each a full supervised run with its own report), then one comparison page and one
chart with both transports' latency CDFs. The broker's own CPU is sampled around the MQTT run: it
is outside the Hummingbot process tree the supervisor samples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

from evaluator.harness.broker import MosquittoBroker
from evaluator.analysis.evaluation import Evaluation
from evaluator.report.build import REPORT_MD
from evaluator.report.charts import CHART_DIR
from evaluator.report.transport import TRANSPORT_CHART, comparison_chart, comparison_markdown
from evaluator.harness.run_inputs import RunInputs
from evaluator.harness.run_both import run_both
from shared_signals.contract.spec import TRANSPORTS, RunSpec
from evaluator.harness.supervisor import PlatformExit
from poc_hummingbot.config import PLATFORM as HUMMINGBOT
from poc_hummingbot.mqtt.connection import default_broker_dir
from shared_signals.contract.spec import MQTT
COMPARISON_JSON = "transport.json"


@dataclass(frozen=True)
class TransportComparison:
    folder: Path
    markdown: Path
    chart: Path
    runs: dict[str, Evaluation]
    exits: dict[str, PlatformExit]


def _broker_cpu_s(broker_dir: Path) -> float | None:
    """CPU seconds the running broker has used so far (None when it is not running)."""
    pid = MosquittoBroker(broker_dir).running_pid()
    if pid is None:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return None
    return times.user + times.system


def write_comparison(
    root: Path, runs: dict[str, Evaluation], extra: dict[str, dict], exits: dict[str, PlatformExit]
) -> TransportComparison:
    """Writes ``root/report.md``, the chart and ``transport.json`` (the figures, without per-signal
    tables) from each transport's evaluation."""
    chart = comparison_chart(runs, root / CHART_DIR / TRANSPORT_CHART)
    markdown = root / REPORT_MD
    markdown.write_text(comparison_markdown(runs, extra, f"{CHART_DIR}/{TRANSPORT_CHART}"), encoding="utf-8")
    figures = {}
    for name, evaluation in runs.items():
        metrics = evaluation.transported()
        figures[name] = metrics.transport.to_dict() if metrics is not None else None
    document = {"transports": list(runs), "extra": extra, "figures": figures, "chart": f"{CHART_DIR}/{TRANSPORT_CHART}"}
    (root / COMPARISON_JSON).write_text(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return TransportComparison(root, markdown, chart, runs, exits)


def compare_transports(
    base: RunSpec, transports: tuple[str, ...] = TRANSPORTS, inputs: RunInputs | None = None
) -> TransportComparison:
    """Runs Hummingbot over each transport into ``base.run_dir / <transport>`` and writes the comparison;
    ``inputs`` as :func:`run_both` takes them, read once for every transport."""
    root = base.run_dir
    broker_dir = default_broker_dir()
    extra: dict[str, dict] = {}
    exits: dict[str, PlatformExit] = {}
    runs: dict[str, Evaluation] = {}
    for name in transports:
        options = replace(base, platform=HUMMINGBOT, transport=name, run_dir=root / name, run_id=f"{base.run_id}-{name}")
        cpu_before = _broker_cpu_s(broker_dir)
        report, run_exits = run_both(options, [HUMMINGBOT], inputs=inputs)
        runs[name] = report.evaluation
        cpu_after = _broker_cpu_s(broker_dir)
        wall_s = float(report.evaluation.run.inputs["wall_s"])  # supervised only: the broker idles around it
        if name == MQTT and cpu_before is not None and cpu_after is not None:
            extra[name] = {"broker_cpu_pct": 100.0 * (cpu_after - cpu_before) / max(wall_s, 1e-9), "wall_s": wall_s}
        exits[name] = run_exits[HUMMINGBOT]
        if exits[name].stopped_by_user:
            break
    return write_comparison(root, runs, extra, exits)
