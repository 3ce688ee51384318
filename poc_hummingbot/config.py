"""Every tunable of the Hummingbot side, typed and frozen, with the folder layout of a run.

The venue model (fill delay, touch depth, quantization) lives here, not in ``shared_signals``:
it describes Hummingbot's paper exchange, not the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shared_signals.config import NANOS_PER_SECOND, build_dataclass
from shared_signals.contract.platforms import HUMMINGBOT
from shared_signals.contract.spec import RunSpec, platform_config
from shared_signals.ranges import bounded, check_fields
from shared_signals.transport.kinds import FILE, Transport
from shared_signals.transport.mqtt.config import MqttConfig

OrderTypeName = Literal["market", "limit"]
ReplayClock = Literal["events", "every_tick"]
EVENTS: ReplayClock = "events"
EVERY_TICK: ReplayClock = "every_tick"

PLATFORM = HUMMINGBOT.name
SIGNALS_DIR = "signals"
"""Folder of ``platform_dir`` that holds the provider's files, the strategy's only input (file transport)."""
LATEST_SIGNAL = "latest_signal.json"
SIGNAL_HISTORY = "signal_history.jsonl"
PROVIDER_DIR = "provider"
"""Folder of ``platform_dir`` with the provider's own journal (``events.jsonl``, kind ``signal_published``)."""
PROVIDER_LOG = "provider.log"
PROVIDER_MODULE = "poc_hummingbot.provider_process"
"""Live mode's provider process: ``python -m PROVIDER_MODULE SPEC_FILE`` plus the timeline."""


@dataclass(frozen=True, slots=True)
class VenueModel:
    """How Hummingbot's ``MockPaperExchange`` fills: reported in ``run.json`` as the venue, not as platform
    latency. A market order fills the run spec's ``venue.fill_delay_s`` (0 by default; Hummingbot's own
    ``TRADE_EXECUTION_DELAY`` default is 5 s) after it is placed. Replay: at exactly that market time, at
    the touch of the quote in force then, the matched venues' fill rule (``poc_hummingbot.event_clock``).
    Live: ``TRADE_EXECUTION_DELAY`` is that delay over the speed (the exchange counts wall seconds), and
    the fill comes on the first tick at least that late, never the submitting tick."""

    touch_size_floor: float = bounded(1_000.0, gt=0)
    """Base units shown at the touch at least. The paper exchange walks the book for market orders and
    miscounts an order larger than the book; a deep touch fills every gate-approved order whole at the
    quoted price, as the reference replay assumes."""
    price_decimals: int = bounded(2, ge=0, le=12, integer=True)
    """Price quantum of the paper exchange (0.01 USDT); limit prices are rounded down to it."""
    price_precision: int = bounded(8, ge=1, le=18, integer=True)
    """Significant digits of a price (Hummingbot ``QuantizationParams``)."""
    size_precision: int = bounded(8, ge=1, le=18, integer=True)
    """Significant digits of an amount (Hummingbot ``QuantizationParams``); the size decimals come
    from the decision's ``qty_decimals`` so the venue and the decision share one order step."""

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, slots=True)
class HummingbotConfig:
    """The strategy's and the run's knobs beyond the shared :class:`RunSpec`."""

    tick_size_s: float = bounded(1.0, ge=0.1, le=60)
    """Hummingbot's clock tick in seconds: its own default 1 s and its own minimum 0.1 s
    (``client_config_map.tick_size``). The strategy acts, and the paper exchange fills, on ticks."""
    transport: Transport = FILE
    """How the provider reaches the strategy: ``file`` (latest_signal.json) or ``mqtt`` (the project's
    Mosquitto broker, AI-livestream format)."""
    order_type: OrderTypeName = "market"
    """``market``, or ``limit`` at the touch plus ``limit_offset`` (seed 000: 0.1% premium/discount)."""
    limit_offset: float = bounded(0.001, ge=0, lt=0.1)
    """Fraction of the touch a limit order pays above the ask (buys) or asks below the bid (sells)."""
    limit_timeout_s: float = bounded(60.0, gt=0)
    """Market seconds a limit order may rest unfilled before the strategy cancels it (journaled as rejected)."""
    venue: VenueModel = field(default_factory=VenueModel)
    live_start_delay_s: float = bounded(2.0, gt=0)
    """Wall seconds between launching the provider process and market time starting, so both are up."""
    provider_check_s: float = bounded(1.0, gt=0)
    """Wall seconds between checks that the provider process is still alive (live mode)."""
    provider_stop_timeout_s: float = bounded(5.0, gt=0)
    """Wall seconds the provider gets to close its journal after SIGTERM before it is killed."""
    replay_clock: ReplayClock = EVENTS
    """Replay: ``events`` steps Hummingbot's clock only on the ticks where something can happen (a quote,
    a signal, an expiry, an order's fill: see ``poc_hummingbot.event_clock``), so its cost follows the
    events, not the simulated seconds; ``every_tick`` steps every tick, as Hummingbot's clock alone does
    (and each market order's fill time). Both make the same decisions and fills."""
    replay_chunk_ticks: int = bounded(2_000, ge=1, integer=True)
    """Clock steps between returns to the asyncio loop (the paper exchange posts events as tasks)."""
    max_payload_bytes: int = bounded(65_536, ge=1024, integer=True)
    """A signal file or MQTT message larger than this is refused as invalid, never parsed."""
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    """The MQTT transport (``--transport mqtt``): QoS, retain, topic, reconnection, the broker folder."""
    close_on_stop: bool = True
    """At the end of the run (replay or live, a stop signal too), close the open position with a market
    order through the shared risk gate (``end_of_run``), as Nautilus does, before the platform stops."""

    def __post_init__(self) -> None:
        check_fields(self)

    @property
    def tick_size_ns(self) -> int:
        return round(self.tick_size_s * NANOS_PER_SECOND)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HummingbotConfig:
        """From plain values (a config file, a run spec's settings); unknown keys and bad values refused."""
        return build_dataclass(cls, data)


def preflight(spec: RunSpec) -> None:
    """What only Hummingbot reads, checked before any platform starts (the registry's ``preflight``):
    its settings, by this config type. Every pair parses to a paper-exchange market, so the
    instrument needs no check of its own."""
    platform_config(spec, HummingbotConfig)
