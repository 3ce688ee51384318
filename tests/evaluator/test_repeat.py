"""``run-both --repeat``: live comparisons in fresh processes, one folder each, combined into medians
and ranges that a hand computation from each run's metrics.json reproduces."""

import json

import numpy as np
import pytest

from scipy.stats import bootstrap

from evaluator.analysis.confidence import Difference, Figure
from evaluator.analysis.repeats import repeats
from evaluator.analysis.resampling import BATCH
from evaluator.analysis.summary import RepeatFigure, RunSummary
from evaluator.cli import main
from evaluator.settings import load_settings
from evaluator.report.repeats import REPEATS_JSON, REPEATS_MD, confidence_words, read_repeats
from evaluator.report.verdict import FIGURE_WORDS


@pytest.mark.slow
def test_three_live_runs_combine_into_medians_and_ranges_of_their_own_metrics(small_demo, tmp_path, capsys):
    code = main(["run-both", "--mode", "live", "--speed", "240", "--duration", "12s", "--repeat", "3",
                 "--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals), "--out", str(tmp_path)])
    assert code == 0
    (root,) = tmp_path.iterdir()
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == ["run-1", "run-2", "run-3"]
    runs = [json.loads((root / f"run-{k}" / "metrics.json").read_text()) for k in (1, 2, 3)]
    exits = [json.loads((root / f"run-{k}" / "nautilus" / "exit.json").read_text()) for k in (1, 2, 3)]
    assert all(a["ended_ns"] < b["started_ns"] for a, b in zip(exits, exits[1:]))  # fresh processes, one run after the other
    combined = json.loads((root / REPEATS_JSON).read_text())
    typed = read_repeats(root / REPEATS_JSON)  # the document reads back as its own type
    assert typed.schema_version == 1 and typed.runs == 3 and typed.reports == [f"run-{k}/report.md" for k in (1, 2, 3)]
    assert combined["runs"] == 3
    by_key = {(f["figure"], f["column"]): f for f in combined["figures"]}
    for name in ("nautilus", "hummingbot"):
        cpu = [run["platforms"][name]["resources"]["mean_cpu_pct"] for run in runs]
        figure = by_key[(RepeatFigure.MEAN_CPU_PCT, name)]
        assert figure["values"] == pytest.approx(cpu)
        assert (figure["median"], figure["low"], figure["high"]) == pytest.approx((np.median(cpu), min(cpu), max(cpu)))
        p99 = [run["platforms"][name]["latency_to_fill"]["p99_ms"] for run in runs]
        assert by_key[(RepeatFigure.P99_FILL_MS, name)]["median"] == pytest.approx(np.median(p99))
        overall = [run["verdict"]["overall"][name] for run in runs]
        assert by_key[(RepeatFigure.OVERALL, name)]["high"] == pytest.approx(max(overall))
    assert sum(combined["recommended"].values()) == 3
    cost = Figure.LATENCY_COST
    per_run = [next(d["values"][0] - d["values"][1] for d in run["verdict"]["differences"] if d["figure"] == cost) for run in runs]
    (settled,) = [s for s in combined["settled"] if s["figure"] == cost]
    assert (settled["first"], settled["second"]) == ("nautilus", "hummingbot")
    confidence = load_settings().confidence
    assert settled["differences"] == pytest.approx(per_run)
    reference = bootstrap((np.array(per_run),), np.median, confidence_level=confidence.level, method="percentile", batch=BATCH,
                          n_resamples=confidence.bootstrap_resamples, rng=np.random.default_rng(confidence.bootstrap_seed))
    assert (settled["low"], settled["high"]) == pytest.approx(tuple(reference.confidence_interval))
    text = (root / REPEATS_MD).read_text()
    assert "**Confidence.**" in text and "(run-3/report.md)" in text


def test_a_replay_is_not_repeated_for_nothing(small_demo, tmp_path, capsys):
    code = main(["run-both", "--repeat", "3", "--duration", "20m", "--quotes", str(small_demo.quotes),
                 "--signals", str(small_demo.signals), "--out", str(tmp_path)])
    assert code == 0
    (root,) = tmp_path.iterdir()
    assert (root / "report.md").exists() and not (root / "run-1").exists()
    assert "a replay is deterministic in market time" in capsys.readouterr().err.replace("\n", " ")


def summary(recommended, nautilus_cpu, settled_for):
    """One run's summary: both columns alike but for nautilus' CPU, one latency-cost difference settled for
    nautilus (its interval wholly below zero and beyond the threshold) or not (it holds zero)."""
    column = lambda cpu: {RepeatFigure.P99_FILL_MS: 1.0, RepeatFigure.MARKET_P50_FILL_MS: 0.0,  # noqa: E731
                          RepeatFigure.EXECUTION_COST_BPS: 10.0, RepeatFigure.FILLED_AS_DECIDED: 1.0,
                          RepeatFigure.MEAN_CPU_PCT: cpu, RepeatFigure.PEAK_RSS_MB: 300.0, RepeatFigure.NET_PNL: 1.0}
    low, high = (-2.0, -1.0) if settled_for == "nautilus" else (-1.0, 1.0)
    difference = Difference(Figure.LATENCY_COST, "latency", "bps", True, "nautilus", "hummingbot", (0.0, 1.5), low, high, 0.5, 0.95)
    return RunSummary("r", {"nautilus": {**column(nautilus_cpu), RepeatFigure.OVERALL: 9.0},
                            "hummingbot": {**column(20.0), RepeatFigure.OVERALL: 8.0}}, recommended, [difference])


def test_the_sentence_across_runs_counts_the_runs_each_difference_settled():
    steady = repeats([summary("nautilus", cpu, "nautilus") for cpu in (10.0, 30.0, 20.0)], 0.95, 2_000, 7)
    cpu = next(f for f in steady.figures if f.figure == RepeatFigure.MEAN_CPU_PCT and f.column == "nautilus")
    assert (cpu.values, cpu.median, cpu.low, cpu.high) == ([10.0, 30.0, 20.0], 20.0, 10.0, 30.0)
    (latency,) = steady.settled
    assert (latency.figure, latency.first, latency.second, latency.favours) == (Figure.LATENCY_COST, "nautilus", "hummingbot", {"nautilus": 3})
    assert latency.differences == [-1.5, -1.5, -1.5] and (latency.low, latency.high) == (-1.5, -1.5)
    assert steady.top == ("nautilus", 3) and steady.carrying == [latency] and steady.against == []
    assert confidence_words(steady) == (f"nautilus, recommended in 3 of 3 runs, on {FIGURE_WORDS[Figure.LATENCY_COST]} over hummingbot: "
                                        "settled (interval excluding zero, size beyond its threshold) in 3 of 3 runs.")
    shaky = repeats([summary("nautilus", 10.0, "nautilus"), summary("tie", 10.0, None), summary("nautilus", 10.0, "nautilus")],
                    0.95, 2_000, 7)
    assert shaky.recommended == {"nautilus": 2, "tie": 1}
    (latency,) = shaky.settled
    assert latency.favours == {"nautilus": 2} and shaky.carrying == []
    assert confidence_words(shaky).startswith("nautilus recommended in 2 of 3 runs; no measured difference in its favour")


@pytest.mark.parametrize("count", ["0", "21", "two"])
def test_a_repeat_count_out_of_range_is_one_line_and_exit_2(count, tmp_path, capsys):
    assert main(["run-both", "--repeat", count, "--out", str(tmp_path)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and f"'{count}' is not a whole number from 1 to 20" in lines[0]
    assert not any(tmp_path.iterdir())
