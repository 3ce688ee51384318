"""Every tunable of the signal core, in one typed place.

Each field's default is the documented default of the product (see README, "Configuration").
The dataclasses are frozen: a run's parameters cannot drift while it runs, and they can be saved
beside the journal as they were.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal, get_type_hints

import msgspec

from shared_signals.errors import InputError
from shared_signals.ranges import Range, bounded, check_fields, check_value

NANOS_PER_MICRO = 1_000
NANOS_PER_MS = 1_000_000
MS_PER_SECOND = 1_000
NANOS_PER_SECOND = 1_000_000_000
NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND
NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE
NANOS_PER_DAY = 24 * NANOS_PER_HOUR
"""Time units of the nanosecond timestamps used everywhere (journals, quotes, signals)."""

DEFAULT_STARTING_QUOTE = 100_000.0
"""Paper balance in quote currency (USDT) every venue starts with."""
DEFAULT_STARTING_BASE = 1.0
"""Paper balance in base currency every venue starts with: the inventory a spot 'short' sells."""
MAX_MONEY = 1e9
"""Largest amount of money a setting accepts (a paper balance in either currency, the sizing
capital): within what every venue's money type holds (Nautilus' fixed-point money ends near 9.2e9 in
its standard-precision build) and far above any paper account, so a larger one is a unit mistake
refused before a run (an infinite capital would size infinite orders)."""

SizingMethod = Literal["simple_kelly", "crypto_kelly", "target_pct"]
DecisionRule = Literal["shared", "ai_livestream"]
DuplicatePolicy = Literal["error", "first", "last"]


@dataclass(frozen=True, slots=True)
class ProbabilityParams:
    """Bridge from quantiles to the AI-livestream probability format (seed 002)."""

    neutral_spread: float = bounded(0.02, gt=0)
    """Spread q90-q10 at which the neutral weight saturates."""
    max_neutral_weight: float = bounded(0.3, ge=0, lt=1)
    """Neutral probability when the spread is at or above ``neutral_spread``."""
    target_pct_min: float = bounded(0.001, gt=0, le=1)
    target_pct_max: float = bounded(0.05, gt=0, le=1)
    """At least ``target_pct_min``."""
    risk_spread: float = bounded(0.02, gt=0)
    """Spread that maps to a risk adjustment of 1.0 in ``target_pct``."""
    max_risk_adjustment: float = bounded(2.0, gt=0)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.target_pct_max < self.target_pct_min:
            raise InputError(f"setting ProbabilityParams.target_pct_max = {self.target_pct_max!r} is below target_pct_min = {self.target_pct_min!r}")


@dataclass(frozen=True, slots=True)
class SideParams:
    """How ``side`` is derived when the signal file does not carry it."""

    min_strength_ratio: float = bounded(0.1, ge=0)
    """A signal is tradeable when |q50| >= this fraction of the spread q90-q10; otherwise side is hold."""

    def __post_init__(self) -> None:
        check_fields(self)


VOL_DECILES = 10
MULTIPLIER = Range(ge=0)
FRACTION_RANGES = {"stop_loss": Range(gt=0, lt=1), "take_profit": Range(gt=0, le=10),
                   "trailing_stop_activation": Range(gt=0, le=10), "trailing_stop_delta": Range(gt=0, lt=1)}
"""The exits' ranges as fractions of the entry price; their fields' own ranges are the wider ones of
multiples of ``target_pct``. A stop a whole entry price away would put a long's stop at or below zero."""
"""A size multiplier: a number >= 0."""


@dataclass(frozen=True, slots=True)
class SizingParams:
    """Position sizing (seeds 000, 001, 002). Fractions are of ``capital``."""

    method: SizingMethod = "simple_kelly"
    capital: float = bounded(100_000.0, gt=0, le=MAX_MONEY)
    """Sizing capital in quote currency. Fixed, so both platforms size identically; the risk gate
    uses each platform's own mark-to-market equity."""
    base_fraction: float = bounded(0.1, gt=0, le=1)
    """Seed 000: base size, 10% of capital."""
    q50_multiplier_scale: float = bounded(100.0, gt=0)
    """Seed 000: signal multiplier = min(|q50| * scale, max_signal_multiplier)."""
    max_signal_multiplier: float = bounded(2.0, gt=0)
    vol_risk_scale: float = bounded(10.0, ge=0)
    """Seed 000: vol adjustment = 1 / (1 + vol_risk * scale)."""
    default_vol_risk: float = bounded(0.01, ge=0)
    max_fraction: float = bounded(0.5, gt=0, le=1)
    """Seed 000 cap (50% of capital)."""
    crypto_kelly_cap: float = bounded(0.25, gt=0, le=1)
    """Seed 002 cap on ``crypto_kelly_sizing`` (25%)."""
    extreme_fear: float = bounded(20.0, ge=0, le=100)
    extreme_greed: float = bounded(80.0, ge=0, le=100)
    fear_multiplier: float = bounded(1.2, gt=0)
    greed_multiplier: float = bounded(0.8, gt=0)
    vol_decile_multipliers: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.6)
    """Seed 001: size multiplier per vol_risk decile (0 = calmest); shrinks exposure in high variance.
    Ten values, each a number >= 0."""
    regime_multipliers: dict[str, float] = field(
        default_factory=lambda: {"low": 1.1, "medium": 1.0, "high": 0.8, "extreme": 0.5}
    )
    """Seed 001: size multiplier per volatility regime; an unknown regime gets 1.0. Each a number >= 0."""
    qty_decimals: int = bounded(5, ge=0, le=12, integer=True)
    """Order quantities are rounded down to 10**-qty_decimals base units (0.00001 BTC)."""
    min_qty: float = bounded(0.00001, gt=0)

    def __post_init__(self) -> None:
        check_fields(self)
        if len(self.vol_decile_multipliers) != VOL_DECILES:
            raise InputError(f"setting SizingParams.vol_decile_multipliers needs {VOL_DECILES} values, got {len(self.vol_decile_multipliers)}")
        for i, value in enumerate(self.vol_decile_multipliers):
            check_value(f"SizingParams.vol_decile_multipliers[{i}]", value, MULTIPLIER)
        for regime, value in self.regime_multipliers.items():
            check_value(f"SizingParams.regime_multipliers.{regime}", value, MULTIPLIER)


@dataclass(frozen=True, slots=True)
class LivestreamParams:
    """Thresholds of Hummingbot's AI-livestream controller (its defaults: 0.5 each)."""

    long_threshold: float = bounded(0.5, gt=0, lt=1)
    """Go long when the long probability is above this (and the short one is not above its own)."""
    short_threshold: float = bounded(0.5, gt=0, lt=1)
    """Go short when the short probability is above this; checked first, as the controller does."""

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, slots=True)
class DecisionParams:
    """The single decision rule shared by both platforms."""

    threshold: float = bounded(0.6, gt=0.5, lt=1)
    """Seed 000: buy when prob_up > threshold, sell when 1 - prob_up > threshold. Within (0.5, 1): at
    0.5 or below both sides would pass at once, at 1 nothing ever trades."""
    close_on_hold: bool = True
    """Seed 000: a signal whose side is hold (-1) closes the open position."""
    allow_short: bool = True
    """Sell signals take a short position (on spot: sell inventory held at the start)."""
    sizing: SizingParams = field(default_factory=SizingParams)
    rule: DecisionRule = "shared"
    """``shared``: the rule above (seed 000). ``ai_livestream``: Hummingbot's AI-livestream controller
    rule on the ``[short, neutral, long]`` probabilities (see ``shared_signals.livestream``), an option
    for comparison; both size, round and pass the risk gate the same way."""
    livestream: LivestreamParams = field(default_factory=LivestreamParams)

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """Pre-trade limits. Every order of either platform passes the gate built from these."""

    max_position_qty: float = bounded(1.0, gt=0)
    """Absolute cap on |position| in base currency after the order."""
    max_position_fraction: float = bounded(0.5, gt=0)
    """Cap on |position| * price / equity after the order."""
    max_order_notional: float = bounded(60_000.0, gt=0)
    """Cap on one order's quantity * price, in quote currency."""
    max_orders_per_minute: int = bounded(30, ge=1, integer=True)
    max_daily_loss_fraction: float = bounded(0.05, gt=0, le=1)
    """Kill switch: equity down this fraction since the start of the UTC day."""
    max_drawdown_fraction: float = bounded(0.10, gt=0, le=1)
    """Kill switch: equity down this fraction from its peak."""
    max_quote_age_s: float = bounded(3600.0, gt=0, le=7 * 24 * 3600)
    """No order goes out against a quote this old or older (seconds): its successor was due and has
    not come, the market is closed (a weekend, a halt, a gap in the data). A platform that acts on
    quote arrivals never meets one; one that acts on its clock's ticks does, and the same rule then
    holds it back until the market reopens. A run given a quote file reads it off the file's own
    spacing (``evaluator/commands/inputs.py``: one spacing, unless a flag or the config sets it);
    an hour only for a run built without one."""

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, slots=True)
class ExitParams:
    """An optional triple barrier on every position the signals open, off by default (every field
    None: a position closes only when a signal flips or holds it, and at the end of the run).

    Fractions are of the entry price; with ``scale_by_target_pct`` (the AI-livestream controller's
    design) each price barrier is instead that multiple of the opening signal's ``target_pct``, the
    time limit unscaled. Each platform closes by its own means (the shared runner's decisions, a
    platform's bracket orders, Hummingbot V2's PositionExecutor); every close is journaled with its
    cause, and the reference replay models the same barriers."""

    stop_loss: float | None = bounded(None, gt=0, le=1000)
    """Close by market order once the price has gone this fraction against the entry (see
    ``FRACTION_RANGES``; with ``scale_by_target_pct`` a multiple, checked against ``target_pct_max``)."""
    take_profit: float | None = bounded(None, gt=0, le=1000)
    """Close once the price has gone this fraction in the position's favour."""
    time_limit_s: float | None = bounded(None, gt=0, le=365 * 24 * 3600)
    """Close by market order this long after the entry fill (seconds of market time)."""
    trailing_stop_activation: float | None = bounded(None, gt=0, le=1000)
    """The trailing stop arms once the price has gone this fraction in the position's favour..."""
    trailing_stop_delta: float | None = bounded(None, gt=0, le=1000)
    """...and closes once it falls back this fraction from the best price since (< 1, as the stop loss)."""
    scale_by_target_pct: bool = False

    def __post_init__(self) -> None:
        check_fields(self)
        if (self.trailing_stop_activation is None) != (self.trailing_stop_delta is None):
            raise InputError("setting ExitParams.trailing_stop_activation and trailing_stop_delta: give both or neither")
        if not self.scale_by_target_pct:
            for name, limits in FRACTION_RANGES.items():
                if getattr(self, name) is not None:
                    check_value(f"ExitParams.{name}", getattr(self, name), limits)

    def check_scaled(self, target_pct_max: float) -> None:
        """A scaled stop loss or trailing delta must stay below the whole entry price at the largest
        ``target_pct`` a signal can have: a stop that far would sit at or below a zero price."""
        if not self.scale_by_target_pct:
            return
        for name in ("stop_loss", "trailing_stop_delta"):
            value = getattr(self, name)
            if value is not None and value * target_pct_max >= 1:
                raise InputError(
                    f"setting ExitParams.{name} = {value!r} (a multiple of target_pct) is out of range: at "
                    f"ProbabilityParams.target_pct_max = {target_pct_max:g} it must be < {1 / target_pct_max:g}"
                )

    @property
    def enabled(self) -> bool:
        return any(v is not None for v in (self.stop_loss, self.take_profit, self.time_limit_s, self.trailing_stop_delta))


@dataclass(frozen=True, slots=True)
class RegimeParams:
    """Regime detector (seed 001 indicators, seed 002 thresholds)."""

    rsi_period: int = bounded(14, ge=1, integer=True)
    macd_fast: int = bounded(12, ge=1, integer=True)
    macd_slow: int = bounded(26, ge=1, integer=True)
    macd_signal: int = bounded(9, ge=1, integer=True)
    vol_window: int = bounded(12, ge=2, integer=True)
    """Bars in the realised-volatility window."""
    vol_thresholds: tuple[float, float, float] = (0.1, 0.3, 0.6)
    """Seed 002 vol_scaled cuts: low < 0.1 <= medium < 0.3 <= high < 0.6 <= extreme. Three increasing
    numbers in [0, 1]."""
    extreme_fear: float = bounded(20.0, ge=0, le=100)
    extreme_greed: float = bounded(80.0, ge=0, le=100)

    def __post_init__(self) -> None:
        check_fields(self)
        cuts = self.vol_thresholds
        if len(cuts) != 3 or not all(0 <= a < b <= 1 for a, b in zip((0, *cuts), cuts, strict=False)):
            raise InputError(f"setting RegimeParams.vol_thresholds = {cuts!r}: must be three increasing numbers in [0, 1]")


@dataclass(frozen=True, slots=True)
class LoaderParams:
    """How signal files are read."""

    tolerance_ns: int = bounded(5 * NANOS_PER_MINUTE, gt=0, integer=True)
    """Seed 001: a signal stays in force for 5 minutes after its timestamp. The CLI reads it off the
    signal file's bar instead when neither ``--tolerance`` nor a core config file sets it."""
    duplicates: DuplicatePolicy = "error"
    """Two rows with the same timestamp: refuse the file (default), or keep the first or last."""
    vol_decile_window: int = bounded(500, ge=1, integer=True)
    """Past rows used to rank vol_risk into deciles (never future rows)."""
    max_abs_quantile: float = bounded(1.0, gt=0)
    """Largest |q10|, |q50|, |q90| accepted: a quantile of one bar's return beyond 100% is taken for a
    unit mistake (prices, percent) and refused. Raise it here if your returns really are that large."""
    min_spread: float = bounded(0.0, ge=0)
    """q90 - q10 must exceed this: a forecast with no spread (q10 == q90) carries no uncertainty and
    is refused."""
    bar_fit_share: float = bounded(0.9, gt=0, le=1)
    """When the tolerance is read off the signal file (no ``--tolerance``): the share of the spacings
    between rows that must be whole bars (gaps of several bars are fine)."""

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, slots=True)
class SignalCoreConfig:
    """Everything the shared core needs for one run."""

    decision: DecisionParams = field(default_factory=DecisionParams)
    risk: RiskLimits = field(default_factory=RiskLimits)
    exits: ExitParams = field(default_factory=ExitParams)
    probability: ProbabilityParams = field(default_factory=ProbabilityParams)
    side: SideParams = field(default_factory=SideParams)
    regime: RegimeParams = field(default_factory=RegimeParams)
    loader: LoaderParams = field(default_factory=LoaderParams)

    def __post_init__(self) -> None:
        self.exits.check_scaled(self.probability.target_pct_max)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SignalCoreConfig:
        """The inverse of :meth:`to_dict` (as saved in a run's JSON files); unknown keys are refused."""
        return build_dataclass(cls, data)


def build_dataclass(cls: type, data: Any) -> Any:
    """A (nested) settings dataclass from plain JSON/TOML values; an unknown key or a section that
    is not a table is the user's one-line :class:`InputError`, as is any value out of its range."""
    if not isinstance(data, dict):
        raise InputError(f"setting {cls.__name__} must be a table of settings, got {data!r}")
    known = {item.name for item in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise InputError(f"unknown {cls.__name__} settings: {', '.join(sorted(map(str, unknown)))}")
    hints = get_type_hints(cls)
    values = {}
    for item in fields(cls):
        if item.name not in data:
            continue
        value = data[item.name]
        kind = hints[item.name]
        if is_dataclass(kind):
            value = build_dataclass(kind, value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[item.name] = value
    return cls(**values)


def plain_settings(settings: Any) -> dict[str, Any]:
    """A settings dataclass as the plain JSON values a run spec carries (paths as text): what
    :func:`build_dataclass` reads back into the same object."""
    return msgspec.to_builtins(settings, enc_hook=str)
