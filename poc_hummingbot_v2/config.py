"""The Hummingbot V2 column's settings, typed and frozen, and its folder layout. No Hummingbot import:
the harness reads this type (and calls :func:`preflight`) before any platform starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shared_signals.config import NANOS_PER_SECOND, build_dataclass
from shared_signals.contract.platforms import HUMMINGBOT_V2
from shared_signals.contract.spec import RunSpec, platform_config
from shared_signals.ranges import bounded, check_fields
from shared_signals.transport.kinds import MQTT
from shared_signals.transport.mqtt.config import MqttConfig

PLATFORM = HUMMINGBOT_V2.name
CONNECTOR_NAME = "q50_paper"
"""The paper exchange's name among the strategy's connectors: what the controller and executors name it.
Not an exchange Hummingbot knows, so nothing can build a connector for it over the network, and without
``perpetual`` in it, so executors treat it as spot."""
PROVIDER_DIR = "provider"
"""Folder of the column with the provider's journal, log and spec (the provider is Hummingbot's own:
``poc_hummingbot.provider_process``, publishing over MQTT)."""
PROVIDER_LOG = "provider.log"
PROVIDER_SPEC = "provider_spec.json"
"""The provider's run spec: this column's, naming Hummingbot's platform and settings (transport, MQTT)."""
PROVIDER_MODULE = "poc_hummingbot.provider_process"
RECORDER_DB = "hummingbot_v2.sqlite"
"""``MarketsRecorder``'s sqlite file in the column's folder (orders, fills, executors as Hummingbot stores them)."""


@dataclass(frozen=True, slots=True)
class HummingbotV2Config:
    """What the V2 column adds to the shared :class:`RunSpec`."""

    tick_size_s: float = bounded(1.0, ge=0.1, le=60)
    """Hummingbot's clock tick in wall seconds (its own default 1 s, minimum 0.1 s): the quotes reach the
    order book and the paper exchange fills on ticks. The controller and executors run on their own 1 s
    wall-clock loops, as upstream ships them."""
    transport: Literal["mqtt"] = MQTT
    """Always MQTT: the AI-livestream controller's only input (topic ``hbot/predictions/<pair>/ML_SIGNALS``)."""
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    live_start_delay_s: float = bounded(2.0, gt=0)
    """Wall seconds between launching the provider process and market time starting, so both are up."""
    provider_check_s: float = bounded(1.0, gt=0)
    provider_stop_timeout_s: float = bounded(5.0, gt=0)
    shutdown_s: float = bounded(30.0, gt=0)
    """Wall seconds the run gives ``StrategyV2Base.on_stop`` (the orchestrator closing open executors by
    market order, each waiting 5 s between its checks) while the clock keeps the exchange filling."""
    interrupted_shutdown_s: float = bounded(10.0, gt=0)
    """The same after a stop signal (Ctrl-C, or the harness's SIGINT): shorter, so the closes are filled and
    journaled inside the harness's 15 s grace before it kills the process."""
    max_payload_bytes: int = bounded(65_536, ge=1024, integer=True)
    """A larger MQTT message is refused as invalid, never parsed."""
    touch_size_floor: float = bounded(1_000.0, gt=0)
    """Base units shown at the touch at least, so every gate-approved market order fills whole at the quote."""
    price_decimals: int = bounded(2, ge=0, le=12, integer=True)
    """Price quantum of the paper exchange and its trading rule (0.01 USDT)."""

    def __post_init__(self) -> None:
        check_fields(self)

    @property
    def tick_size_ns(self) -> int:
        return round(self.tick_size_s * NANOS_PER_SECOND)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HummingbotV2Config:
        return build_dataclass(cls, data)


def preflight(spec: RunSpec) -> None:
    """Checked before any platform starts: the settings, by this type."""
    platform_config(spec, HummingbotV2Config)
