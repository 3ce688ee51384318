"""The report's analysis, stage by stage, each stage entered once and handed the structs of the ones
before it: load the run folder → each column's figures → each column against the baseline → the
causes of their differences → the verdict → the success criteria. What it returns is facts only; the
report (``evaluator.report``) renders them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from evaluator.analysis.causes import Causes, causes
from evaluator.analysis.columns import Figures, figures
from evaluator.analysis.criteria import Criteria, success_criteria
from evaluator.analysis.pairs import PairFigures, pairs
from evaluator.analysis.run_folder import RunFolder
from evaluator.analysis.sensitivity import SettingOutcome, setting_outcomes
from evaluator.analysis.summary import RunSummary, summarize
from evaluator.analysis.verdict import POCEvaluator, Verdict
from evaluator.settings import EvaluationSettings
from shared_signals.contract.modes import LIVE


@dataclass(frozen=True)
class Analysis:
    run: RunFolder
    figures: Figures
    pairs: list[PairFigures]
    causes: Causes
    verdict: Verdict
    criteria: Criteria
    sensitivity: list[SettingOutcome] = field(default_factory=list)
    """``--sensitivity``: the verdict with each harness setting at its other value."""

    @property
    def names(self) -> list[str]:
        return list(self.figures.columns)

    @property
    def summary(self) -> RunSummary:
        return summarize(self.run.run_id, self.figures, self.verdict)


def analyse(run: RunFolder, settings: EvaluationSettings) -> Analysis:
    """The comparison's analysis; for a ``--sensitivity`` run, of its own columns, with the verdict of
    each setting's columns in their place beside it."""
    if not run.record.sensitivity:
        return _comparison(run, settings)
    analysis = _comparison(run.select(list(run.record.compared), run.record.baseline), settings)
    def judge(seen: RunFolder) -> tuple[Figures, Verdict]:
        per_column, _, verdict = _judged(seen, settings)
        return per_column, verdict

    outcomes = setting_outcomes(run, analysis.figures, analysis.verdict, judge)
    return replace(analysis, sensitivity=outcomes)


def _judged(run: RunFolder, settings: EvaluationSettings) -> tuple[Figures, list[PairFigures], Verdict]:
    per_column = figures(run, settings)
    compared = pairs(run, per_column, settings)
    baseline = compared[0].first if compared else run.baseline
    return per_column, compared, POCEvaluator(settings).verdict(per_column, compared, run.spec.mode == LIVE, baseline)


def _comparison(run: RunFolder, settings: EvaluationSettings) -> Analysis:
    per_column, compared, verdict = _judged(run, settings)
    return Analysis(run, per_column, compared, causes(per_column, compared), verdict, success_criteria(run, per_column, settings))
