"""The run spec: everything one column of a comparison is given, as one typed object its platform
process receives as a single file (``spec.json`` in the column's folder), and the result it leaves
beside its journal.

Every column gets the same inputs and the same signal-core configuration. A column is a platform
with its own settings (its clock tick, its order type, its transport: whatever its settings type
holds), carried in ``settings`` as plain values and parsed, ranges checked, by that type; a named
variant is one more column of a platform with some of them changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from shared_signals.config import (
    DEFAULT_STARTING_BASE,
    DEFAULT_STARTING_QUOTE,
    MAX_MONEY,
    SignalCoreConfig,
    build_dataclass,
)
from shared_signals.contract.layout import RESERVED_NAMES, RESULT_JSON, SPEC_JSON
from shared_signals.contract.modes import Mode
from shared_signals.contract.platforms import PLATFORM_NAMES
from shared_signals.errors import InputError
from shared_signals.instruments import DEFAULT_INSTRUMENT
from shared_signals.ranges import bounded, check_fields

SettingSource = Literal["default", "flag", "config_file", "signal_bar", "quote_spacing", "variant"]
"""Where a setting of the run came from, for the report: the documented default, a flag, a config
file, read off the signal file's bar (the tolerance), read off the quote file's spacing (the quote-age
limit), or a named variant."""
COLUMN_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
"""A column's name is its folder's: lower-case letters, digits, ``-`` and ``_``, a letter first."""
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
    """Both models: market seconds between a market order's submission and its fill, each platform
    through its own mechanism (Nautilus: its backtest ``LatencyModel``, replay only; Hummingbot: its
    paper exchange's ``TRADE_EXECUTION_DELAY``, so the first clock tick at least that long after, one
    tick at least). Zero by default; ``poc-eval calibrate`` injects known values here."""

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
    """The run folder; each column writes into ``run_dir / column``."""
    run_id: str
    instrument: str = DEFAULT_INSTRUMENT
    speed: float | None = bounded(None, gt=0)
    """Live mode: 1.0 = real time, N = N times faster, None = as fast as possible."""
    duration_ns: int | None = bounded(None, gt=0, integer=True)
    """Stop after this much market time (replay) or wall time (live); None = until the data ends."""
    signal_delay_ns: int = bounded(0, ge=0, integer=True)
    """An injected signal delivery delay, market time: every platform sees each signal this much after
    its time (a provider publishes it that much later; a strategy that reads signals in-process holds
    it back as long) and it still expires at its time + tolerance. 0 by default; ``poc-eval
    calibrate`` injects known values. Less than the tolerance."""
    heartbeat_s: float = bounded(1.0, gt=0)
    """Wall seconds between journal heartbeats."""
    starting_quote: float = bounded(DEFAULT_STARTING_QUOTE, gt=0, le=MAX_MONEY)
    """Paper balance in quote currency (USDT) on every venue."""
    starting_base: float = bounded(DEFAULT_STARTING_BASE, ge=0, le=MAX_MONEY)
    """Paper balance in base currency (BTC) on every venue: the inventory a spot 'short' sells."""
    core: SignalCoreConfig = field(default_factory=SignalCoreConfig)
    venue: VenueSpec = field(default_factory=VenueSpec)
    column: str = ""
    """The column's name: its folder, its journal's place in the report. Empty: the platform's name."""
    settings: dict[str, Any] = field(default_factory=dict)
    """The platform's own settings as plain values (its settings type, named in the registry, checks
    them); empty for a platform without settings of its own, or to take every default."""
    tolerance_from: SettingSource = "default"
    """Where ``core.loader.tolerance_ns`` came from."""
    max_quote_age_from: SettingSource = "default"
    """Where ``core.risk.max_quote_age_s`` came from."""

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
        if not self.column:
            object.__setattr__(self, "column", self.platform)
        check_column_name(self.column)

    @property
    def platform_dir(self) -> Path:
        """The column's folder: its journal, results and the files of its processes."""
        return self.run_dir / self.column

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


def check_column_name(name: str) -> None:
    """A column's name becomes a folder of the run: a safe one, and none the run uses itself."""
    if not COLUMN_NAME.fullmatch(name) or name in RESERVED_NAMES:
        reserved = f", and not {', '.join(RESERVED_NAMES)}" if name in RESERVED_NAMES else ""
        raise InputError(f"column name '{name}': use 1-32 lower-case letters, digits, - or _, a letter first{reserved}")


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
    """The column's own settings of ``spec`` as ``config_type`` (a settings dataclass), ranges checked."""
    try:
        return build_dataclass(config_type, spec.settings)
    except InputError as exc:
        raise InputError(f"{spec.column}: {exc.what}", exc.file) from None


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
