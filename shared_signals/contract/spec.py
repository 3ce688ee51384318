"""The run spec: everything one platform run is given, as one typed object a child process receives
as a single file (``spec.json`` in its platform folder), and the result it leaves beside its journal.

Both platforms get the same inputs and the same signal-core configuration; what only one platform
reads (Hummingbot's order type, its venue model) travels in ``platform_settings`` under that
platform's name and is parsed, with its ranges checked, by that platform's own config type.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args

from shared_signals.config import (
    DEFAULT_STARTING_BASE,
    DEFAULT_STARTING_QUOTE,
    MAX_MONEY,
    NANOS_PER_SECOND,
    SignalCoreConfig,
    build_dataclass,
)
from shared_signals.contract.layout import RESULT_JSON, SPEC_JSON
from shared_signals.contract.platforms import PLATFORM_NAMES
from shared_signals.errors import InputError
from shared_signals.instruments import DEFAULT_INSTRUMENT
from shared_signals.ranges import bounded, check_fields

Mode = Literal["replay", "live"]
MODES: tuple[str, ...] = get_args(Mode)
Transport = Literal["file", "mqtt"]
FILE: Transport = "file"
MQTT: Transport = "mqtt"
TRANSPORTS: tuple[str, ...] = (FILE, MQTT)
SettingSource = Literal["default", "flag", "config_file", "signal_bar"]
"""Where a setting of the run came from, for the report: the documented default, a flag, a config
file, or read off the signal file's bar (the tolerance)."""
DEFAULT_TICK_NS = NANOS_PER_SECOND
"""Hummingbot's clock tick unless ``--tick-size`` says otherwise: Hummingbot's own default."""
VenueModelName = Literal["matched", "native"]
MATCHED: VenueModelName = "matched"
BPS = 10_000
"""Basis points in one."""


@dataclass(frozen=True)
class VenueSpec:
    """How the paper venues are set up. ``matched`` (the default) charges both venues the same fee on
    every fill, so a difference in results comes from the platform, not from a venue setting.
    ``native`` keeps each platform's out-of-box venue: Nautilus charges its Binance instrument's fees,
    Hummingbot's paper exchange charges none."""

    model: VenueModelName = MATCHED
    fee_bps: float = bounded(10.0, ge=0, le=100)
    """matched: the fee on every fill (maker and taker alike), in basis points of its notional.
    Default 10: the taker fee of Binance's BTCUSDT as Nautilus defines it. At most 100 (1%)."""
    fill_delay_s: float = bounded(0.0, ge=0, le=3_600)
    """Both models: market seconds between a market order's submission and its fill, on both venues
    (Nautilus: its backtest ``LatencyModel``, replay only; Hummingbot: its paper exchange's
    ``TRADE_EXECUTION_DELAY``, so the first clock tick at least that long after, one tick at least).
    Zero by default; ``poc-eval calibrate`` injects known values here."""

    def __post_init__(self) -> None:
        check_fields(self)

    @property
    def fee_rate(self) -> float | None:
        """The matched fee as a fraction of notional; None for each platform's own."""
        return self.fee_bps / BPS if self.model == MATCHED else None


@dataclass(frozen=True)
class RunSpec:
    platform: str
    """A name of the platform registry."""
    mode: Mode
    quotes: Path
    signals: Path
    run_dir: Path
    """The run folder; each platform writes into ``run_dir / platform``."""
    run_id: str
    instrument: str = DEFAULT_INSTRUMENT
    speed: float | None = bounded(None, gt=0)
    """Live mode: 1.0 = real time, N = N times faster, None = as fast as possible."""
    duration_ns: int | None = bounded(None, gt=0, integer=True)
    """Stop after this much market time (replay) or wall time (live); None = until the data ends."""
    tick_size_ns: int = bounded(DEFAULT_TICK_NS, gt=0, integer=True)
    """Hummingbot clock tick."""
    signal_delay_ns: int = bounded(0, ge=0, integer=True)
    """An injected signal delivery delay, market time: every platform sees each signal this much after
    its time (Hummingbot's provider publishes it that much later; Nautilus' strategy, which reads
    signals in-process, holds it back as long) and it still expires at its time + tolerance. 0 by
    default; ``poc-eval calibrate`` injects known values. Less than the tolerance."""
    heartbeat_s: float = bounded(1.0, gt=0)
    """Wall seconds between journal heartbeats."""
    starting_quote: float = bounded(DEFAULT_STARTING_QUOTE, gt=0, le=MAX_MONEY)
    """Paper balance in quote currency (USDT) on every venue."""
    starting_base: float = bounded(DEFAULT_STARTING_BASE, ge=0, le=MAX_MONEY)
    """Paper balance in base currency (BTC) on every venue: the inventory a spot 'short' sells."""
    core: SignalCoreConfig = field(default_factory=SignalCoreConfig)
    venue: VenueSpec = field(default_factory=VenueSpec)
    transport: Transport = "file"
    """How Hummingbot's provider reaches its strategy: ``file`` (latest_signal.json) or ``mqtt`` (the
    project's Mosquitto broker, AI-livestream format). Nautilus receives signals in-process either way."""
    platform_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per platform name, the settings only that platform reads (its own config type checks them)."""
    tolerance_from: SettingSource = "default"
    """Where ``core.loader.tolerance_ns`` came from."""
    tick_from: SettingSource = "default"
    """Where ``tick_size_ns`` came from."""

    def __post_init__(self) -> None:
        """A run that cannot go on is refused when it is described, for every platform alike."""
        check_fields(self)
        if self.signal_delay_ns >= self.core.loader.tolerance_ns:
            raise InputError(
                f"setting RunSpec.signal_delay_ns = {self.signal_delay_ns} is out of range: must be less than the "
                f"tolerance ({self.core.loader.tolerance_ns} ns), or no signal would ever be in force"
            )
        if self.platform not in PLATFORM_NAMES:
            raise InputError(f"unknown platform '{self.platform}': expected one of {', '.join(PLATFORM_NAMES)}")
        unknown = set(self.platform_settings) - set(PLATFORM_NAMES)
        if unknown:
            raise InputError(f"settings for unknown platform(s): {', '.join(sorted(unknown))}")

    @property
    def platform_dir(self) -> Path:
        return self.run_dir / self.platform

    def to_dict(self) -> dict[str, Any]:
        plain = {item.name: getattr(self, item.name) for item in fields(self)}
        return {
            **plain,
            "quotes": str(self.quotes), "signals": str(self.signals), "run_dir": str(self.run_dir),
            "core": self.core.to_dict(), "venue": asdict(self.venue),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSpec:
        try:
            values = {**data, "core": SignalCoreConfig.from_dict(data.get("core", {})),
                      "venue": build_dataclass(VenueSpec, data.get("venue", {}))}
            for name in ("quotes", "signals", "run_dir"):
                values[name] = Path(data[name])
            return cls(**values)
        except (KeyError, TypeError) as exc:
            raise InputError(f"not a run spec: {exc}") from None


def write_spec(spec: RunSpec) -> Path:
    """``spec.json`` in the platform's folder: the one file a platform process is started with."""
    folder = spec.platform_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SPEC_JSON
    target.write_text(json.dumps(spec.to_dict(), indent=2) + "\n", encoding="utf-8")
    return target


def read_spec(path: Path) -> RunSpec:
    """What :func:`write_spec` wrote; a missing or wrong file is the user's one-line error."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a run spec: {exc}", path) from None
    try:
        return RunSpec.from_dict(data)
    except InputError as exc:
        raise InputError(exc.what, path) from None


def platform_config(spec: RunSpec, config_type: type) -> Any:
    """The platform's own settings of ``spec`` as ``config_type`` (a settings dataclass), ranges checked."""
    return build_dataclass(config_type, spec.platform_settings.get(spec.platform, {}))


@dataclass(frozen=True)
class RunResult:
    """What a platform run reports back to the CLI or the supervisor."""

    platform: str
    platform_dir: Path
    quotes: int
    """Quotes processed."""
    orders: int
    fills: int
    rejections: int
    wall_s: float
    notes: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    """Facts only this platform has (Hummingbot's replay clock: its steps and the ticks they spanned)."""


def write_result(result: RunResult) -> Path:
    """Saves the result beside the journal; its absence later means the run did not finish."""
    target = result.platform_dir / RESULT_JSON
    payload = {**asdict(result), "platform_dir": str(result.platform_dir), "notes": list(result.notes)}
    target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return target
