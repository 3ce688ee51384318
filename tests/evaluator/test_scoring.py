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
from evaluator.analysis.metrics.materiality import expected_abs_move_bps
from evaluator.analysis.pairs import PairFigures
from evaluator.analysis.verdict import TIE, PairTie, POCEvaluator, TieReason
from evaluator.report.verdict import confidence_words, reasons_and_caveats
from evaluator.settings import load_settings

MARKS = pd.DataFrame({"ts_ns": [0, 60 * 10**9, 120 * 10**9, 180 * 10**9], "mid": [100.0, 100.1, 100.0, 100.05]})
MEASURED = ("latency", "execution_accuracy", "stability", "resources", "scalability", "trading_results", "complexity")
PLATFORMS = {"a": "nautilus", "b": "hummingbot"}
"""The platform each column runs: the rubric scores platforms (these tests give every score themselves)."""
SETTINGS = load_settings()


def figures_scored(monkeypatch, scores: dict[str, dict[str, float]], marks: pd.DataFrame = MARKS, delays_ms: dict | None = None,
                   costs_bps: dict | None = None):
    """Columns a and b (the baseline) whose category scores are ``scores``, on a market of ``marks`` at a
    10 bps fee, each filling ``delays_ms`` after the signal (at once by default) at a latency cost of
    ``costs_bps`` (0 by default)."""
    monkeypatch.setattr(verdict_module, "category_scores", lambda m, p, future, ideal, fee_bps, cpu_pct: dict(scores[m.name]))
    market = run_market(SimpleNamespace(marks=marks, spec=SimpleNamespace(venue=SimpleNamespace(fee_bps=10.0))))
    stability = SimpleNamespace(crashed=False, stopped_by_user=False, completed=True, exit_code=0, halt=None)
    delays_ms, costs_bps = delays_ms or {}, costs_bps or {}
    columns = {
        name: SimpleNamespace(
            name=name, platform=PLATFORMS[name], doubts=[], stability=stability, complexity=object(),
            resources=SimpleNamespace(cpu_s_per_kevent=0.0), latency_score_delay_s=delays_ms.get(name, 0.0) / 1000,
            latency_cost_bps=costs_bps.get(name, 0.0), real_to_fill=SimpleNamespace(count=0),
            latency_risk_bps=float(expected_abs_move_bps(delays_ms.get(name, 0.0) / 1000, market.volatility)),
            exits=None,
        )
        for name in scores
    }
    return SimpleNamespace(columns=columns, market=market, ideal_trading=None)


def pair_of(figures, found=()) -> PairFigures:
    """b against a: ``found`` are its differences."""
    return PairFigures("a", "b", None, None, list(found))


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


FIGURES = {"execution_accuracy": Figure.FILLED_AS_DECIDED, "trading_results": Figure.EXECUTION_COST,
           "latency": Figure.LATENCY_COST, "resources": Figure.CPU_PER_KEVENT}


def difference(category, low, high, threshold=0.0, values=(1.0, 0.9), unit="share"):
    return Difference(FIGURES[category], category, unit, category != "execution_accuracy", "a", "b", values, low, high,
                      threshold, 0.95)


def test_a_measured_lead_is_named_without_the_rubric_caveat(monkeypatch):
    latency = difference("latency", -0.6, 0.1, threshold=1.0, values=(0.0, 0.24), unit="bps")
    verdict, reasons, _ = judged(figures_scored(monkeypatch, scores(9.0, 6.0, 5.0, 5.0)), [latency])
    assert verdict.recommended == "a" and verdict.measured_winner == "a"
    assert not any("subjective" in r for r in reasons)
    weights = SETTINGS.weights  # latency within noise: both score their mean, 7.5
    assert verdict.overall["a"] == pytest.approx(9.0 - 4.0 * weights["future_potential"] - 1.5 * weights["latency"], abs=0.01)
    assert verdict.categories[0].category == "latency" and verdict.categories[0].scores == {"a": 7.5, "b": 7.5}
    assert verdict.ties == [PairTie("a", "b", "latency", TieReason.NOISE, latency)]


def marks_with_volatility(bps_per_sqrt_s: float) -> pd.DataFrame:
    """Minute marks whose log returns alternate ±r: an rms of exactly ``bps_per_sqrt_s`` per √second."""
    r = bps_per_sqrt_s / 1e4 * 60**0.5
    return pd.DataFrame({"ts_ns": [k * 60 * 10**9 for k in range(9)], "mid": [100.0 * math.exp(r * (k % 2)) for k in range(9)]})


@pytest.mark.parametrize(("cost_bps", "interval", "settled"), [(1.5, (-1.9, -1.1), True), (0.9, (-1.3, -0.5), False),
                                                               (1.5, (-2.9, 0.1), False)])
def test_latency_settles_only_outside_noise_and_beyond_a_share_of_the_fee(monkeypatch, cost_bps, interval, settled):
    """b's decay costs ``cost_bps`` at 1 s against a's 0 at 0 s; the threshold is 0.1 of the 10 bps fee."""
    given = scores(8.0, 8.0, 8.0, 8.0)
    given["a"]["latency"], given["b"]["latency"] = 9.0, 7.0
    figures = figures_scored(monkeypatch, given, marks_with_volatility(1.5), {"b": 1_000.0}, {"b": cost_bps})
    threshold = SETTINGS.scoring.material_fee_share * 10.0
    latency = difference("latency", *interval, threshold=threshold, values=(0.0, cost_bps), unit="bps")
    verdict, reasons, _ = judged(figures, [latency])
    assert latency.settled is settled and latency.better == ("a" if settled else None)
    scored = next(c for c in verdict.categories if c.category == "latency")
    assert scored.scores == ({"a": 9.0, "b": 7.0} if settled else {"a": 8.0, "b": 8.0})  # a tie: the mean
    note = next(r for r in reasons if r.startswith("latency between"))
    risk = 1.5 * math.sqrt(2 / math.pi)  # the expected absolute move over 1 s: shown as risk
    assert f"b +{cost_bps:.2f} bps at 1 s" in note and "risk, not a cost" in note and f"b {risk:.2f} bps" in note
    ties = [t for t in verdict.ties if t.category == "latency"]
    assert ties == ([] if settled else [PairTie("a", "b", "latency", TieReason.IMMATERIAL if interval[1] < 0 else TieReason.NOISE,
                                                latency)])


def test_a_difference_within_noise_or_immaterial_makes_its_category_a_tie(monkeypatch):
    given = scores(8.0, 8.0, 8.0, 8.0)
    given["a"]["execution_accuracy"], given["b"]["execution_accuracy"] = 10.0, 9.0
    given["a"]["trading_results"], given["b"]["trading_results"] = 10.0, 6.0
    noise = difference("execution_accuracy", -0.02, 0.2)
    immaterial = difference("trading_results", 0.01, 0.03, threshold=0.05, values=(1.0, 0.98))  # outside noise, within 0.05
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
    figures.columns["a"].resources, figures.columns["b"].resources = (SimpleNamespace(cpu_s_per_kevent=0.4),
                                                                      SimpleNamespace(cpu_s_per_kevent=0.5))
    monkeypatch.setattr(verdict_module, "category_scores", record)
    judged(figures, [difference("resources", -0.12, 0.03, values=(0.4, 0.5))])
    assert seen == {"a": 0.45, "b": 0.45}


def test_a_recommendation_that_turns_on_one_category_says_so(monkeypatch):
    """b leads on trading results alone by enough to win; tied there, the overall would be a tie."""
    weight = SETTINGS.weights["trading_results"]
    table = scores(8.0, 8.0, 7.0, 7.0)
    table["a"]["trading_results"] = 8.0 + (SETTINGS.scoring.ties_within + 0.2) / weight
    figures = figures_scored(monkeypatch, table)
    figures.columns["b"].exits = SimpleNamespace(by_cause=[SimpleNamespace(forgone=12.5), SimpleNamespace(forgone=0.0)])
    verdict, reasons, _ = judged(figures)
    assert verdict.recommended == "a"
    (decisive,) = verdict.decisive
    assert decisive.category == "trading_results" and decisive.recommended == TIE
    assert decisive.overall["a"] == decisive.overall["b"]
    (line,) = [r for r in reasons if "turns on" in r]
    assert line.startswith("the recommendation of a turns on trading results: were the columns tied there alone, the overall "
                           f"scores would be a {decisive.overall['a']:.2f}, b {decisive.overall['b']:.2f}, within the ±")
    assert "among the causes of the gap: b's closes at their own price forwent 12.50 USDT against the touch" in line
    balanced = scores(9.0, 6.0, 7.0, 7.0)  # a leads on every measured category: no one of them decides
    assert judged(figures_scored(monkeypatch, balanced))[0].decisive == []
