"""Every figure of the report as plain JSON (``metrics.json``), and the markdown table. Numbers are
formatted by ``evaluator.report.numbers`` everywhere, so report and JSON show the same values."""

from __future__ import annotations

import math
from dataclasses import asdict, is_dataclass
from typing import Any

import msgspec
import pandas as pd

from evaluator.analysis.pipeline import Analysis

STAGES_CHART = "stages.png"
"""The stacked chart of wall-clock stages, in the report's ``charts`` folder."""


def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return None
    if isinstance(value, msgspec.Struct):
        return _plain(msgspec.to_builtins(value))
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items() if not isinstance(v, (pd.DataFrame, pd.Series))}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not isinstance(v, (pd.DataFrame, pd.Series))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [_plain(row) for row in frame.to_dict("records")]


def metrics_document(analysis: Analysis, charts: dict[str, str]) -> dict:
    platforms = {}
    for name, m in analysis.figures.columns.items():
        entry = _plain(m)
        entry["accuracy"].update(share=_plain(m.accuracy.share), position_share=_plain(m.accuracy.position_share),
                                 decided_share=_plain(m.accuracy.decided_share))
        entry["trading"].pop("equity", None)
        if m.platform_figures is not None:
            entry["platform_figures"]["checks"] = [{**_plain(c), "reproduced": c.reproduced} for c in m.platform_figures.checks]
        platforms[name] = entry
    ideal = analysis.figures.ideal_trading
    return {
        "run_id": analysis.run.run_id,
        "inputs": msgspec.to_builtins(analysis.run.record),
        "baseline": analysis.pairs[0].first if analysis.pairs else analysis.run.baseline,
        "platforms": platforms,
        "market": _plain(analysis.figures.market),
        "agreement": [
            {"first": p.first, "second": p.second, "compared": p.agreement.compared, "agreeing": p.agreement.agreeing,
             "share": _plain(p.agreement.share), "causes": p.agreement.causes(),
             "median_fill_gap_s": _plain(float(p.agreement.fill_delay_s.median())) if len(p.agreement.fill_delay_s) else None,
             "differences": _records(p.agreement.differences)}
            for p in analysis.pairs
        ],
        "attribution": [_plain(p.attribution) for p in analysis.pairs if p.attribution is not None],
        "causes": _plain(analysis.causes),
        "ideal_reference": None if ideal is None else {k: v for k, v in _plain(ideal).items() if k != "equity"},
        "verdict": _plain(analysis.verdict),
        "criteria": _plain(analysis.criteria),
        "sensitivity": [{**_plain(o), "recommended": o.recommended} for o in analysis.sensitivity],
        "charts": charts,
    }
