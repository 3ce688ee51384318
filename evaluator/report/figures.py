"""Every figure of the report as plain JSON (``metrics.json``), and the markdown table; numbers are
formatted by ``evaluator.analysis.numbers`` everywhere, so report and JSON show the same values."""

from __future__ import annotations

import math
from dataclasses import asdict, is_dataclass
from typing import Any

import pandas as pd

from evaluator.analysis.criteria import Criterion
from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.numbers import fmt, percent
from evaluator.analysis.scoring import Verdict


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


__all__ = ["fmt", "metrics_document", "percent", "table"]


def metrics_document(evaluation: Evaluation, verdict: Verdict, criteria: list[Criterion], charts: dict[str, str]) -> dict:
    platforms = {}
    for name, m in evaluation.platforms.items():
        entry = _plain(m)
        entry["accuracy"].update(share=_plain(m.accuracy.share), position_share=_plain(m.accuracy.position_share),
                                 decided_share=_plain(m.accuracy.decided_share))
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
            "differences": pair.differences.to_dict("records"),
        },
        "attribution": _plain(evaluation.attribution),
        "ideal_reference": None if evaluation.ideal_trading is None else {
            k: v for k, v in _plain(evaluation.ideal_trading).items() if k != "equity"
        },
        "verdict": _plain(verdict),
        "criteria": _plain(criteria),
        "charts": charts,
    }
