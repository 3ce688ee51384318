"""``run-both --repeat``: live comparisons in fresh processes, one folder each, combined into medians
and ranges that a hand computation from each run's metrics.json reproduces."""

import json

import numpy as np
import pytest

from scipy.stats import bootstrap

from evaluator.analysis.confidence import BATCH
from evaluator.cli import main
from evaluator.settings import load_settings
from evaluator.report.repeats import REPEATS_JSON, REPEATS_MD


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
    assert combined["runs"] == 3
    by_key = {(f["figure"], f["platform"]): f for f in combined["figures"]}
    for name in ("nautilus", "hummingbot"):
        cpu = [run["platforms"][name]["resources"]["mean_cpu_pct"] for run in runs]
        figure = by_key[("mean CPU (% of one core)", name)]
        assert figure["values"] == pytest.approx(cpu)
        assert (figure["median"], figure["low"], figure["high"]) == pytest.approx((np.median(cpu), min(cpu), max(cpu)))
        p99 = [run["platforms"][name]["latency_to_fill"]["p99_ms"] for run in runs]
        assert by_key[("p99 signal → fill, processing (ms)", name)]["median"] == pytest.approx(np.median(p99))
        overall = [run["verdict"]["overall"][name] for run in runs]
        assert by_key[("overall score", name)]["high"] == pytest.approx(max(overall))
    assert sum(combined["recommended"].values()) == 3
    cost = "expected latency cost per trade (median signal → fill, market time)"
    per_run = [next(d["values"][0] - d["values"][1] for d in run["verdict"]["differences"] if d["figure"] == cost) for run in runs]
    (settled,) = [s for s in combined["settled"] if s["figure"] == cost]
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


def document(recommended, nautilus_cpu, settled_for):
    platform = lambda cpu: {"latency_to_fill": {"p99_ms": 1.0}, "market_to_fill": {"p50_ms": 0.0},  # noqa: E731
                            "execution_cost": {"total": {"mean_bps": 10.0}}, "accuracy": {"decided_share": 1.0},
                            "resources": {"mean_cpu_pct": cpu, "peak_rss_mb": 300.0}, "trading": {"pnl": 1.0}}
    low, high = (-2.0, -1.0) if settled_for == "nautilus" else (-1.0, 1.0)
    difference = {"figure": "latency cost", "category": "latency", "unit": "bps", "lower_is_better": True, "first": "nautilus",
                  "second": "hummingbot", "values": [0.0, 1.5], "low": low, "high": high, "threshold": 0.5, "level": 0.95}
    return {"platforms": {"nautilus": platform(nautilus_cpu), "hummingbot": platform(20.0)},
            "verdict": {"overall": {"nautilus": 9.0, "hummingbot": 8.0}, "recommended": recommended, "differences": [difference]}}


def test_the_sentence_across_runs_counts_the_runs_each_difference_settled():
    from evaluator.analysis.repeats import repeats

    steady = repeats([document("nautilus", cpu, "nautilus") for cpu in (10.0, 30.0, 20.0)], 0.95, 2_000, 7)
    cpu = next(f for f in steady.figures if f.figure.startswith("mean CPU") and f.platform == "nautilus")
    assert (cpu.median, cpu.low, cpu.high) == (20.0, 10.0, 30.0)
    (latency,) = steady.settled
    assert latency.differences == [-1.5, -1.5, -1.5] and (latency.low, latency.high) == (-1.5, -1.5)
    assert steady.confidence == ("nautilus, recommended in 3 of 3 runs, on latency cost: material and outside noise in 3 of 3 runs.")
    shaky = repeats([document("nautilus", 10.0, "nautilus"), document("tie", 10.0, None), document("nautilus", 10.0, "nautilus")],
                    0.95, 2_000, 7)
    assert shaky.recommended == {"nautilus": 2, "tie": 1}
    assert shaky.confidence.startswith("nautilus recommended in 2 of 3 runs; no measured difference in its favour")


@pytest.mark.parametrize("count", ["0", "21", "two"])
def test_a_repeat_count_out_of_range_is_one_line_and_exit_2(count, tmp_path, capsys):
    assert main(["run-both", "--repeat", count, "--out", str(tmp_path)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and f"'{count}' is not a whole number from 1 to 20" in lines[0]
    assert not any(tmp_path.iterdir())
