"""The recommendation's materiality: a lead inside the tie band names no winner, and a lead that the
subjective rubric alone carries says so."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from evaluator.analysis import scoring
from evaluator.analysis.scoring import TIE, POCEvaluator
from evaluator.settings import load_settings

MEASURED = ("latency", "execution_accuracy", "stability", "resources", "scalability", "trading_results", "complexity")


def evaluation_scored(monkeypatch, scores: dict[str, dict[str, float]]):
    monkeypatch.setattr(scoring, "category_scores", lambda m, p, future, ideal: scores[m.name])
    stability = SimpleNamespace(crashed=False, stopped_by_user=False, completed=True, exit_code=0)
    platforms = {name: SimpleNamespace(name=name, doubts=[], stability=stability) for name in scores}
    return SimpleNamespace(platforms=platforms, run=SimpleNamespace(spec=SimpleNamespace(mode="replay")), ideal_trading=None)


def scores(measured_a: float, measured_b: float, future_a: float, future_b: float) -> dict[str, dict[str, float]]:
    return {
        "a": {**{c: measured_a for c in MEASURED}, "future_potential": future_a},
        "b": {**{c: measured_b for c in MEASURED}, "future_potential": future_b},
    }


def test_an_overall_lead_inside_the_tie_band_names_no_winner(monkeypatch):
    verdict = POCEvaluator(load_settings()).verdict(evaluation_scored(monkeypatch, scores(8.0, 8.1, 8.2, 6.8)))
    assert verdict.recommended == TIE
    assert verdict.reasons[0].startswith("no measured winner: overall a ")
    assert "a tie" in verdict.reasons[1]


def test_a_lead_the_rubric_alone_carries_says_so(monkeypatch):
    settings = load_settings()
    future_weight = settings.weights["future_potential"]
    gap = (settings.scoring.ties_within + 0.1) / future_weight  # enough rubric to lead overall, none measured
    verdict = POCEvaluator(settings).verdict(evaluation_scored(monkeypatch, scores(8.0, 8.0, 9.0, 9.0 - gap)))
    assert verdict.recommended == "a"
    assert verdict.reasons[0].endswith("a tie: the lead rests on the subjective rubric")


def test_a_measured_lead_is_named_without_the_rubric_caveat(monkeypatch):
    verdict = POCEvaluator(load_settings()).verdict(evaluation_scored(monkeypatch, scores(9.0, 6.0, 5.0, 5.0)))
    assert verdict.recommended == "a"
    assert not any("subjective" in r for r in verdict.reasons)
    assert verdict.overall["a"] == pytest.approx(9.0 - 4.0 * load_settings().weights["future_potential"], abs=0.01)
