"""The evaluator's settings, read from ``evaluation.toml`` and ``future_potential.toml`` beside this file
(or files a user passes) into typed, frozen objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from shared_signals.errors import InputError

HERE = Path(__file__).resolve().parent
EVALUATION_TOML = HERE / "evaluation.toml"
FUTURE_POTENTIAL_TOML = HERE / "future_potential.toml"


@dataclass(frozen=True)
class ScoringParams:
    latency_cost_worst_fee_share: float
    rss_worst_mb: float
    cpu_worst_s_per_kevent: float
    throughput_best_per_s: float
    throughput_worst_per_s: float
    return_gap_worst_bps: float
    sloc_worst: float
    cc_mean_worst: float
    touch_points_worst: float
    setup_steps_worst: float
    crash_penalty: float
    error_penalty: float
    heartbeat_gap_penalty: float
    ties_within: float
    material_fee_share: float


@dataclass(frozen=True)
class SuccessCriteria:
    max_latency_ms: float
    max_rss_slope_mb_per_h: float
    min_signals_per_min: float


@dataclass(frozen=True)
class SoakSettings:
    max_rss_slope_mb_per_h: float
    warmup_s: float


@dataclass(frozen=True)
class ConfidenceSettings:
    level: float
    """Two-sided confidence of every interval."""
    bootstrap_resamples: int
    bootstrap_seed: int


@dataclass(frozen=True)
class RubricCriterion:
    name: str
    question: str
    scores: dict[str, float]
    why: str


@dataclass(frozen=True)
class FuturePotential:
    source: str
    criteria: tuple[RubricCriterion, ...]

    def mean(self, platform: str) -> float:
        values = [c.scores[platform] for c in self.criteria if platform in c.scores]
        return sum(values) / len(values) if values else float("nan")


@dataclass(frozen=True)
class EvaluationSettings:
    weights: dict[str, float]
    scoring: ScoringParams
    heartbeat_gap_factor: float
    success: SuccessCriteria
    soak: SoakSettings
    confidence: ConfidenceSettings
    setup_steps: dict[str, tuple[str, ...]]
    future: FuturePotential
    source: Path


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path) from None


def load_settings(path: Path = EVALUATION_TOML, future_path: Path = FUTURE_POTENTIAL_TOML) -> EvaluationSettings:
    raw = _read(path)
    future_raw = _read(future_path)
    try:
        criteria = tuple(
            RubricCriterion(name, c["question"], {k: float(v) for k, v in c.items() if k not in ("question", "why")}, c.get("why", ""))
            for name, c in future_raw["criteria"].items()
        )
        return EvaluationSettings(
            weights={k: float(v) for k, v in raw["weights"].items()},
            scoring=ScoringParams(**{k: float(v) for k, v in raw["scoring"].items()}),
            heartbeat_gap_factor=float(raw["stability"]["heartbeat_gap_factor"]),
            success=SuccessCriteria(**{k: float(v) for k, v in raw["success_criteria"].items()}),
            soak=SoakSettings(**{k: float(v) for k, v in raw["soak"].items()}),
            confidence=_confidence(raw["confidence"], path),
            setup_steps={k: tuple(v) for k, v in raw["setup_steps"].items()},
            future=FuturePotential(future_raw.get("source", "unstated"), criteria),
            source=path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"missing or malformed setting {exc}", path) from None


def _confidence(raw: dict, path: Path) -> ConfidenceSettings:
    """The confidence section, its ranges checked where they are defined."""
    settings = ConfidenceSettings(float(raw["level"]), int(raw["bootstrap_resamples"]), int(raw["bootstrap_seed"]))
    if not 0.5 <= settings.level < 1.0:
        raise InputError(f"setting confidence.level = {settings.level}: must be at least 0.5 and below 1", path)
    if settings.bootstrap_resamples < 100:
        raise InputError(f"setting confidence.bootstrap_resamples = {settings.bootstrap_resamples}: must be at least 100", path)
    return settings
