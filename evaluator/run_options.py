"""What every platform run is given: the same inputs and the same signal-core configuration."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from evaluator.run_info import read_json_or_none
from shared_signals.config import NANOS_PER_SECOND, SignalCoreConfig
from shared_signals.errors import InputError

Mode = Literal["replay", "live"]
PlatformName = Literal["nautilus", "hummingbot"]
PLATFORMS: tuple[PlatformName, ...] = ("nautilus", "hummingbot")
Transport = Literal["file", "mqtt"]
TRANSPORTS: tuple[Transport, ...] = ("file", "mqtt")


@dataclass(frozen=True)
class RunOptions:
    platform: PlatformName
    mode: Mode
    quotes: Path
    signals: Path
    run_dir: Path
    """The run folder; each platform writes into ``run_dir / platform``."""
    run_id: str
    instrument: str = "BTCUSDT"
    speed: float | None = None
    """Live mode: 1.0 = real time, N = N times faster, None = as fast as possible."""
    duration_ns: int | None = None
    """Stop after this much market time (replay) or wall time (live); None = until the data ends."""
    tick_size_ns: int = NANOS_PER_SECOND
    """Hummingbot clock tick."""
    heartbeat_s: float = 1.0
    """Wall seconds between journal heartbeats."""
    starting_quote: float = 100_000.0
    """Paper balance in quote currency (USDT) on both venues."""
    starting_base: float = 1.0
    """Paper balance in base currency (BTC) on both venues: the inventory a spot 'short' sells."""
    core: SignalCoreConfig = field(default_factory=SignalCoreConfig)
    transport: Transport = "file"
    """How Hummingbot's provider reaches its strategy: ``file`` (latest_signal.json) or ``mqtt`` (the
    project's Mosquitto broker, AI-livestream format). Nautilus receives signals in-process either way."""

    def __post_init__(self) -> None:
        """A run that cannot go on is refused when it is described, for both platforms alike."""
        if self.speed is not None and not self.speed > 0:
            raise InputError(f"speed must be positive, got {self.speed}")
        if self.tick_size_ns <= 0:
            raise InputError(f"tick size must be positive, got {self.tick_size_ns} ns")

    @property
    def platform_dir(self) -> Path:
        return self.run_dir / self.platform


@dataclass(frozen=True)
class RunResult:
    """What a platform run reports back to the CLI or the supervisor."""

    platform: PlatformName
    platform_dir: Path
    quotes: int
    """Quotes processed."""
    orders: int
    fills: int
    rejections: int
    wall_s: float
    notes: tuple[str, ...] = ()


RESULT_JSON = "result.json"
CORE_CONFIG_JSON = "core_config.json"


def write_core_config(folder: Path, core: SignalCoreConfig) -> Path:
    """The whole signal-core configuration as JSON in ``folder``, for a child process to read back."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / CORE_CONFIG_JSON
    target.write_text(json.dumps(core.to_dict(), indent=2) + "\n", encoding="utf-8")
    return target


def read_core_config(path: Path) -> SignalCoreConfig:
    """What :func:`write_core_config` wrote; a missing or wrong file is the user's one-line error."""
    try:
        return SignalCoreConfig.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a signal-core configuration: {exc}", path) from None


def write_result(result: RunResult) -> Path:
    """Saves the result beside the journal; its absence later means the run did not finish."""
    target = result.platform_dir / RESULT_JSON
    payload = {**asdict(result), "platform_dir": str(result.platform_dir), "notes": list(result.notes)}
    target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return target


def read_result(platform_dir: Path) -> dict | None:
    return read_json_or_none(platform_dir / RESULT_JSON)
