"""The recommendation's materiality: a lead inside the tie band names no winner, and a lead that the
subjective rubric alone carries says so."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from evaluator.analysis import scoring
from evaluator.analysis.confidence import Difference
from evaluator.analysis.scoring import TIE, POCEvaluator
from evaluator.settings import load_settings

MARKS = pd.DataFrame({"ts_ns": [0, 60 * 10**9, 120 * 10**9, 180 * 10**9], "mid": [100.0, 100.1, 100.0, 100.05]})
MEASURED = ("latency", "execution_accuracy", "stability", "resources", "scalability", "trading_results", "complexity")


def evaluation_scored(monkeypatch, scores: dict[str, dict[str, float]]):
    monkeypatch.setattr(scoring, "category_scores", lambda m, p, future, ideal, latency, cpu_pct: dict(scores[m.name]))
    monkeypatch.setattr(POCEvaluator, "_differences", lambda self, evaluation, latency: [])  # these tests are about materiality
    stability = SimpleNamespace(crashed=False, stopped_by_user=False, completed=True, exit_code=0)
    at_once = SimpleNamespace(p50_ms=0.0)
    platforms = {name: SimpleNamespace(name=name, doubts=[], stability=stability, market_to_fill=at_once,
                                       resources=SimpleNamespace(mean_cpu_pct=0.0)) for name in scores}
    run = SimpleNamespace(spec=SimpleNamespace(mode="replay", venue=SimpleNamespace(fee_bps=10.0)), marks=MARKS)
    return SimpleNamespace(platforms=platforms, run=run, ideal_trading=None)


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
    weights = load_settings().weights  # latency: both at once, so not material: both score their mean, 7.5
    assert verdict.overall["a"] == pytest.approx(9.0 - 4.0 * weights["future_potential"] - 1.5 * weights["latency"], abs=0.01)
    assert verdict.categories[0].category == "latency" and verdict.categories[0].scores == {"a": 7.5, "b": 7.5}


def marks_with_volatility(bps_per_sqrt_s: float) -> pd.DataFrame:
    """Minute marks whose log returns alternate ±r: an rms of exactly ``bps_per_sqrt_s`` per √second."""
    r = bps_per_sqrt_s / 1e4 * 60**0.5
    return pd.DataFrame({"ts_ns": [k * 60 * 10**9 for k in range(9)], "mid": [100.0 * math.exp(r * (k % 2)) for k in range(9)]})


@pytest.mark.parametrize(("delay_ms", "material"), [(1_000.0, True), (250.0, False)])
def test_latency_is_material_only_when_its_expected_cost_differs_by_a_share_of_the_fee(monkeypatch, delay_ms, material):
    given = scores(8.0, 8.0, 8.0, 8.0)
    given["a"]["latency"], given["b"]["latency"] = 9.0, 7.0
    evaluation = evaluation_scored(monkeypatch, given)
    evaluation.run.marks = marks_with_volatility(1.5)
    evaluation.platforms["b"].market_to_fill = SimpleNamespace(p50_ms=delay_ms)
    costs = scoring.latency_costs(evaluation)
    expected = 1.5 * math.sqrt(delay_ms / 1000) * math.sqrt(2 / math.pi)  # 1.20 bps at 1 s, 0.60 at 0.25 s
    assert costs.cost_bps("b") == pytest.approx(expected) and costs.cost_bps("a") == 0.0
    assert costs.volatility == pytest.approx(1.5)
    verdict = POCEvaluator(load_settings()).verdict(evaluation)
    latency = next(c for c in verdict.categories if c.category == "latency")
    assert latency.scores == ({"a": 9.0, "b": 7.0} if material else {"a": 8.0, "b": 8.0})  # not material: the mean
    note = next(r for r in verdict.reasons if r.startswith("latency is"))
    assert note.startswith("latency is material" if material else "latency is not material")
    assert f"b {expected:.2f} bps at {delay_ms / 1000:g} s" in note
    assert f"at a tenth of b's delay ({delay_ms / 10000:g} s) it would cost {expected / math.sqrt(10):.2f} bps" in note


def difference(category, low, high, threshold=0.0, values=(1.0, 0.9)):
    return Difference("figure", category, "share", False, "a", "b", values, low, high, threshold, 0.95)


def test_a_difference_within_noise_or_immaterial_makes_its_category_a_tie(monkeypatch):
    given = scores(8.0, 8.0, 8.0, 8.0)
    given["a"]["execution_accuracy"], given["b"]["execution_accuracy"] = 10.0, 9.0
    given["a"]["trading_results"], given["b"]["trading_results"] = 10.0, 6.0
    evaluation = evaluation_scored(monkeypatch, given)
    found = [difference("execution_accuracy", -0.02, 0.2), difference("trading_results", 0.01, 0.03, threshold=0.05),
             difference("latency", 0.5, 0.7, threshold=0.1, values=(1.0, 0.4))]
    monkeypatch.setattr(POCEvaluator, "_differences", lambda self, evaluation, latency: found)
    verdict = POCEvaluator(load_settings()).verdict(evaluation)
    by_name = {c.category: c for c in verdict.categories}
    assert by_name["execution_accuracy"].scores == {"a": 9.5, "b": 9.5}  # noise: both the mean
    assert by_name["trading_results"].scores == {"a": 8.0, "b": 8.0}  # settled by neither: immaterial
    assert any(r.startswith("execution accuracy is a tie") and "contains zero: within noise" in r for r in verdict.reasons + [verdict.confidence])
    assert any(r.startswith("trading results is a tie") and "immaterial" in r for r in verdict.reasons)


def test_resources_within_noise_score_the_mean_cpu(monkeypatch):
    seen = {}

    def record(m, p, future, ideal, latency, cpu_pct):
        seen[m.name] = cpu_pct
        return dict(scores(8.0, 8.0, 8.0, 8.0)[m.name])

    evaluation = evaluation_scored(monkeypatch, scores(8.0, 8.0, 8.0, 8.0))
    evaluation.platforms["a"].resources, evaluation.platforms["b"].resources = SimpleNamespace(mean_cpu_pct=40.0), SimpleNamespace(mean_cpu_pct=50.0)
    monkeypatch.setattr(scoring, "category_scores", record)
    monkeypatch.setattr(POCEvaluator, "_differences", lambda self, evaluation, latency: [difference("resources", -12.0, 3.0)])
    POCEvaluator(load_settings()).verdict(evaluation)
    assert seen == {"a": 45.0, "b": 45.0}
