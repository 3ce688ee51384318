"""The recommendation's materiality: a lead inside the tie band names no winner, and a lead that the
subjective rubric alone carries says so."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from evaluator.analysis import verdict as verdict_module
from evaluator.analysis.columns import run_market
from evaluator.analysis.confidence import Difference, Figure
from evaluator.analysis.metrics.materiality import latency_cost_bps
from evaluator.analysis.pairs import PairFigures, latency_materiality
from evaluator.analysis.verdict import LATENCY, TIE, PairTie, POCEvaluator, TieReason
from evaluator.report.verdict import confidence_words, reasons_and_caveats
from evaluator.settings import load_settings

MARKS = pd.DataFrame({"ts_ns": [0, 60 * 10**9, 120 * 10**9, 180 * 10**9], "mid": [100.0, 100.1, 100.0, 100.05]})
MEASURED = ("latency", "execution_accuracy", "stability", "resources", "scalability", "trading_results", "complexity")
PLATFORMS = {"a": "nautilus", "b": "hummingbot"}
"""The platform each column runs: the rubric scores platforms (these tests give every score themselves)."""
SETTINGS = load_settings()


def figures_scored(monkeypatch, scores: dict[str, dict[str, float]], marks: pd.DataFrame = MARKS, delays_ms: dict | None = None):
    """Columns a and b (the baseline) whose category scores are ``scores``, on a market of ``marks`` at a
    10 bps fee, each filling ``delays_ms`` after the signal (at once by default)."""
    monkeypatch.setattr(verdict_module, "category_scores", lambda m, p, future, ideal, fee_bps, cpu_pct: dict(scores[m.name]))
    market = run_market(SimpleNamespace(marks=marks, spec=SimpleNamespace(venue=SimpleNamespace(fee_bps=10.0))))
    stability = SimpleNamespace(crashed=False, stopped_by_user=False, completed=True, exit_code=0)
    delays_ms = delays_ms or {}
    columns = {
        name: SimpleNamespace(
            name=name, platform=PLATFORMS[name], doubts=[], stability=stability, complexity=object(),
            market_to_fill=SimpleNamespace(p50_ms=delays_ms.get(name, 0.0)), resources=SimpleNamespace(mean_cpu_pct=0.0),
            latency_cost_bps=float(latency_cost_bps(delays_ms.get(name, 0.0) / 1000, market.volatility)),
        )
        for name in scores
    }
    return SimpleNamespace(columns=columns, market=market, ideal_trading=None)


def pair_of(figures, found=()) -> PairFigures:
    """b against a: ``found`` are its differences, its latency materiality from the columns' costs."""
    a, b = figures.columns["a"], figures.columns["b"]
    return PairFigures("a", "b", None, None, list(found), latency_materiality(a, b, figures, SETTINGS.scoring.material_fee_share))


def judged(figures, found=()):
    """The verdict on a and b, with the reasons the report gives for it."""
    pairs = [pair_of(figures, found)]
    verdict = POCEvaluator(SETTINGS).verdict(figures, pairs, False, "a")
    reasons, _ = reasons_and_caveats(verdict, figures, pairs, SETTINGS)
    return verdict, reasons, pairs[0]


def scores(measured_a: float, measured_b: float, future_a: float, future_b: float) -> dict[str, dict[str, float]]:
    return {
        "a": {**{c: measured_a for c in MEASURED}, "future_potential": future_a},
        "b": {**{c: measured_b for c in MEASURED}, "future_potential": future_b},
    }


def test_an_overall_lead_inside_the_tie_band_names_no_winner(monkeypatch):
    verdict, reasons, _ = judged(figures_scored(monkeypatch, scores(8.0, 8.1, 8.2, 6.8)))
    assert verdict.recommended == TIE and verdict.measured_winner == TIE
    assert abs(verdict.overall["a"] - verdict.overall["b"]) <= SETTINGS.scoring.ties_within
    assert reasons[0].startswith("no measured winner: overall a ")
    assert "a tie" in reasons[1]


def test_a_lead_the_rubric_alone_carries_says_so(monkeypatch):
    future_weight = SETTINGS.weights["future_potential"]
    gap = (SETTINGS.scoring.ties_within + 0.1) / future_weight  # enough rubric to lead overall, none measured
    verdict, reasons, _ = judged(figures_scored(monkeypatch, scores(8.0, 8.0, 9.0, 9.0 - gap)))
    assert verdict.recommended == "a" and verdict.measured_winner == TIE
    assert reasons[0].endswith("a tie: the lead rests on the subjective rubric")


def test_a_measured_lead_is_named_without_the_rubric_caveat(monkeypatch):
    verdict, reasons, _ = judged(figures_scored(monkeypatch, scores(9.0, 6.0, 5.0, 5.0)))
    assert verdict.recommended == "a" and verdict.measured_winner == "a"
    assert not any("subjective" in r for r in reasons)
    weights = SETTINGS.weights  # latency: both at once, so not material: both score their mean, 7.5
    assert verdict.overall["a"] == pytest.approx(9.0 - 4.0 * weights["future_potential"] - 1.5 * weights["latency"], abs=0.01)
    assert verdict.categories[0].category == "latency" and verdict.categories[0].scores == {"a": 7.5, "b": 7.5}
    assert verdict.ties == [PairTie("a", "b", LATENCY, TieReason.NOT_MATERIAL)]


def marks_with_volatility(bps_per_sqrt_s: float) -> pd.DataFrame:
    """Minute marks whose log returns alternate ±r: an rms of exactly ``bps_per_sqrt_s`` per √second."""
    r = bps_per_sqrt_s / 1e4 * 60**0.5
    return pd.DataFrame({"ts_ns": [k * 60 * 10**9 for k in range(9)], "mid": [100.0 * math.exp(r * (k % 2)) for k in range(9)]})


@pytest.mark.parametrize(("delay_ms", "material"), [(1_000.0, True), (250.0, False)])
def test_latency_is_material_only_when_its_expected_cost_differs_by_a_share_of_the_fee(monkeypatch, delay_ms, material):
    given = scores(8.0, 8.0, 8.0, 8.0)
    given["a"]["latency"], given["b"]["latency"] = 9.0, 7.0
    figures = figures_scored(monkeypatch, given, marks_with_volatility(1.5), {"b": delay_ms})
    assert figures.market.volatility == pytest.approx(1.5)
    verdict, reasons, pair = judged(figures)
    expected = 1.5 * math.sqrt(delay_ms / 1000) * math.sqrt(2 / math.pi)  # 1.20 bps at 1 s, 0.60 at 0.25 s
    costs = pair.latency
    assert costs.cost_bps == pytest.approx((0.0, expected)) and costs.delay_s == (0.0, delay_ms / 1000)
    assert costs.volatility == pytest.approx(1.5) and costs.threshold_bps == pytest.approx(SETTINGS.scoring.material_fee_share * 10.0)
    assert costs.material is material and costs.slower == "b"
    assert (costs.lever_delay_s, costs.lever_cost_bps) == pytest.approx((delay_ms / 10_000, expected / math.sqrt(10)))
    latency = next(c for c in verdict.categories if c.category == "latency")
    assert latency.scores == ({"a": 9.0, "b": 7.0} if material else {"a": 8.0, "b": 8.0})  # not material: the mean
    assert [t.reason for t in verdict.ties if t.category == LATENCY] == ([] if material else [TieReason.NOT_MATERIAL])
    note = next(r for r in reasons if r.startswith("latency is"))
    assert note.startswith("latency is material" if material else "latency is not material")
    assert f"b {expected:.2f} bps at {delay_ms / 1000:g} s" in note
    assert f"at a tenth of b's delay ({delay_ms / 10000:g} s) it would cost {expected / math.sqrt(10):.2f} bps" in note


FIGURES = {"execution_accuracy": Figure.FILLED_AS_DECIDED, "trading_results": Figure.EXECUTION_COST,
           "latency": Figure.LATENCY_COST, "resources": Figure.MEAN_CPU}


def difference(category, low, high, threshold=0.0, values=(1.0, 0.9)):
    return Difference(FIGURES[category], category, "share", False, "a", "b", values, low, high, threshold, 0.95)


def test_a_difference_within_noise_or_immaterial_makes_its_category_a_tie(monkeypatch):
    given = scores(8.0, 8.0, 8.0, 8.0)
    given["a"]["execution_accuracy"], given["b"]["execution_accuracy"] = 10.0, 9.0
    given["a"]["trading_results"], given["b"]["trading_results"] = 10.0, 6.0
    noise, immaterial = difference("execution_accuracy", -0.02, 0.2), difference("trading_results", 0.01, 0.03, threshold=0.05)
    found = [noise, immaterial, difference("latency", 0.5, 0.7, threshold=0.1, values=(1.0, 0.4))]
    verdict, reasons, _ = judged(figures_scored(monkeypatch, given), found)
    by_name = {c.category: c for c in verdict.categories}
    assert by_name["execution_accuracy"].scores == {"a": 9.5, "b": 9.5}  # noise: both the mean
    assert by_name["trading_results"].scores == {"a": 8.0, "b": 8.0}  # settled by neither: immaterial
    assert PairTie("a", "b", "execution_accuracy", TieReason.NOISE, noise) in verdict.ties
    assert PairTie("a", "b", "trading_results", TieReason.IMMATERIAL, immaterial) in verdict.ties
    assert verdict.differences == found
    assert any(r.startswith("execution accuracy is a tie") and "contains zero: within noise" in r
               for r in reasons + [confidence_words(verdict)])
    assert any(r.startswith("trading results is a tie") and "immaterial" in r for r in reasons)


def test_resources_within_noise_score_the_mean_cpu(monkeypatch):
    seen = {}

    def record(m, p, future, ideal, fee_bps, cpu_pct):
        seen[m.name] = cpu_pct
        return dict(scores(8.0, 8.0, 8.0, 8.0)[m.name])

    figures = figures_scored(monkeypatch, scores(8.0, 8.0, 8.0, 8.0))
    figures.columns["a"].resources, figures.columns["b"].resources = SimpleNamespace(mean_cpu_pct=40.0), SimpleNamespace(mean_cpu_pct=50.0)
    monkeypatch.setattr(verdict_module, "category_scores", record)
    judged(figures, [difference("resources", -12.0, 3.0)])
    assert seen == {"a": 45.0, "b": 45.0}
