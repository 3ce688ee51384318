"""A difference settles its category only when its interval excludes zero and its size is beyond its
threshold; the verdict ties every other category, and the report's words follow the facts."""

import pytest

from evaluator.analysis.confidence import MIN_CPU_SAMPLES, Difference, Figure, Judgement, Resampling
from evaluator.analysis.pairs import PairFigures
from evaluator.analysis.verdict import TIE, PairTie, TieReason, Verdict, pair_ties
from evaluator.report.verdict import FIGURE_WORDS, confidence_words, tie_words

CPU = dict(figure=Figure.CPU_PER_KEVENT, category="resources", unit="CPU s per 1,000 events", lower_is_better=True,
           first="nautilus", second="hummingbot", level=0.95)
LATENCY = dict(figure=Figure.LATENCY_COST, category="latency", unit="bps", lower_is_better=True, first="nautilus",
               second="hummingbot", level=0.95)


def verdict_of(recommended, found):
    """A verdict recommending ``recommended`` on nothing but the differences ``found``."""
    return Verdict(categories=[], overall={"nautilus": 8.0, "hummingbot": 7.0}, measured={}, recommended=recommended,
                   measured_winner=recommended, differences=found)


@pytest.mark.parametrize(("values", "interval", "threshold", "units", "judgement"), [
    ((1.0, 2.0), (-1.5, -0.5), 0.5, None, Judgement.SETTLED),
    ((1.0, 2.0), (-1.5, 0.2), 0.5, None, Judgement.WITHIN_NOISE),
    ((1.0, 1.4), (-0.5, -0.3), 0.5, None, Judgement.IMMATERIAL),  # outside noise, its size within the threshold
    ((1.0, 1.5), (-0.6, -0.4), 0.5, None, Judgement.IMMATERIAL),  # exactly at the threshold: not beyond it
    ((1.0, 2.0), (float("nan"), float("nan")), 0.5, None, Judgement.UNMEASURED),
    ((1.0, 2.0), (-1.5, -0.5), 0.5, (12, 40), Judgement.UNSCORED),
    ((1.0, 2.0), (-1.5, -0.5), 0.5, (30, 40), Judgement.SETTLED),
])
def test_what_a_difference_settles(values, interval, threshold, units, judgement):
    d = Difference(**CPU, values=values, low=interval[0], high=interval[1], threshold=threshold, units=units,
                   resampling=Resampling.BLOCKS, min_units=MIN_CPU_SAMPLES)
    assert d.judgement == judgement
    assert d.settled is (judgement == Judgement.SETTLED)
    assert d.better == ("nautilus" if judgement == Judgement.SETTLED else None)


@pytest.mark.parametrize("interval", [(4.1, 5.3), (4.6, 4.8), (4.7, 4.7)])
def test_a_difference_of_4_70_against_a_threshold_of_5_is_never_material(interval):
    d = Difference(**CPU, values=(54.7, 50.0), low=interval[0], high=interval[1], threshold=5.0, units=(60, 60),
                   resampling=Resampling.BLOCKS, min_units=MIN_CPU_SAMPLES)
    assert d.difference == pytest.approx(4.7) and d.judgement == Judgement.IMMATERIAL and not d.settled
    verdict = verdict_of("hummingbot", [d])
    assert verdict.settled == [] and verdict.carrying == [] and verdict.against == []
    sentence = confidence_words(verdict)
    assert sentence.startswith("hummingbot leads on unmeasured or rubric categories only: of the measured differences, none "
                               "settles its category")
    (tie,) = pair_ties([PairFigures("nautilus", "hummingbot", None, None, [d])])
    assert tie == PairTie("nautilus", "hummingbot", "resources", TieReason.IMMATERIAL, d)
    words = tie_words(tie)
    assert "threshold ±5 CPU s per 1,000 events" in words and words.endswith("its size is within the threshold: immaterial")


def test_a_settled_difference_is_named_with_its_threshold_and_interval_beside_it():
    d = Difference(**LATENCY, values=(0.0, 1.21), low=-1.3, high=-1.1, threshold=1.0)
    sentence = confidence_words(verdict_of("nautilus", [d]))
    assert sentence.startswith(f"nautilus, on {FIGURE_WORDS[Figure.LATENCY_COST]} over hummingbot (-1.21 bps, beyond its ±1 "
                               "bps threshold; interval [-1.3, -1.1] excludes zero) (95% bootstrap")
    assert confidence_words(verdict_of(TIE, [d])).startswith(
        "No measured winner: of the measured differences, only these settle their category: for nautilus, "
        f"{FIGURE_WORDS[Figure.LATENCY_COST]} over hummingbot (-1.21 bps")


def test_an_unscored_difference_ties_its_category_and_says_why():
    d = Difference(**CPU, values=(0.025, 0.036), low=-0.02, high=-0.004, threshold=0.0, units=(4, 6),
                   resampling=Resampling.BLOCKS, min_units=MIN_CPU_SAMPLES)
    (tie,) = pair_ties([PairFigures("nautilus", "hummingbot", None, None, [d])])
    assert tie.reason == TieReason.UNSCORED
    assert tie_words(tie).endswith(f"unscored: 4 and 6 samples, fewer than the {MIN_CPU_SAMPLES} an interval at its level needs")
    unmeasured = Difference(**LATENCY, values=(0.0, float("nan")), low=float("nan"), high=float("nan"), threshold=1.0)
    assert pair_ties([PairFigures("nautilus", "hummingbot", None, None, [unmeasured])]) == []  # each keeps its own score
