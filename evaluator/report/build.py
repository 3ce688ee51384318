"""Builds the report of a run folder: the analysis' pipeline, then the charts, ``metrics.json`` and
``report.md``. Files are written under temporary names and renamed at the end, so a failure (disk
full, read-only folder) never leaves a partial report that looks complete."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from evaluator.analysis.pipeline import Analysis, analyse
from evaluator.analysis.run_folder import RunFolder
from evaluator.report.charts import write_charts
from evaluator.report.figures import metrics_document
from evaluator.report.markdown import render
from evaluator.settings import EvaluationSettings, load_settings
from shared_signals.errors import InputError

REPORT_MD = "report.md"
METRICS_JSON = "metrics.json"


@dataclass(frozen=True)
class Report:
    folder: Path
    markdown: Path
    metrics: Path
    charts: dict[str, Path]
    analysis: Analysis


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def build_report(run_dir: str | Path, settings: EvaluationSettings | None = None, run: RunFolder | None = None) -> Report:
    """``run``: the run folder already loaded (the harness has, to write its reference), else loaded here."""
    run_dir = Path(run_dir)
    settings = settings or load_settings()
    analysis = analyse(run if run is not None else RunFolder.load(run_dir), settings)
    try:
        charts = write_charts(analysis, run_dir)
        chart_names = {name: str(path.relative_to(run_dir)) for name, path in charts.items()}
        metrics = json.dumps(metrics_document(analysis, chart_names), indent=2, sort_keys=True, default=str)
        _write_atomically(run_dir / METRICS_JSON, metrics + "\n")
        _write_atomically(run_dir / REPORT_MD, render(analysis, settings))
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror or exc}); nothing was marked complete", run_dir) from None
    return Report(run_dir, run_dir / REPORT_MD, run_dir / METRICS_JSON, charts, analysis)
