"""Every figure of the report as plain JSON (``metrics.json``), and the one number formatter the
markdown uses, so report and JSON always show the same values."""

from __future__ import annotations

import math
from dataclasses import asdict, is_dataclass
from typing import Any

import pandas as pd

from evaluator.evaluation import Evaluation
from evaluator.scoring import Verdict


def fmt(value: Any, digits: int = 2) -> str:
    """How a number appears in the report: fixed decimals, thousands separators, n/a for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def percent(share: float) -> str:
    """A 0-1 share as the report shows it: '97.50%', or 'n/a'."""
    return "n/a" if share is None or math.isnan(share) else fmt(share * 100) + "%"


def _plain(value: Any) -> Any:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return None
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


def metrics_document(evaluation: Evaluation, verdict: Verdict, charts: dict[str, str]) -> dict:
    platforms = {}
    for name, m in evaluation.platforms.items():
        entry = _plain(m)
        entry["accuracy"].update(share=_plain(m.accuracy.share), position_share=_plain(m.accuracy.position_share))
        entry["trading"].pop("equity", None)
        platforms[name] = entry
    pair = evaluation.agreement
    return {
        "run_id": evaluation.run.run_id,
        "inputs": evaluation.run.inputs,
        "platforms": platforms,
        "agreement": None if pair is None else {
            "compared": pair.compared, "agreeing": pair.agreeing, "share": _plain(pair.share), "causes": pair.causes(),
            "median_fill_gap_s": _plain(float(pair.fill_delay_s.median())) if len(pair.fill_delay_s) else None,
        },
        "verdict": _plain(verdict),
        "charts": charts,
    }
