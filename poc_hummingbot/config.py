"""Every tunable of the Hummingbot side, typed and frozen, with the folder layout of a run.

The venue model (fill delay, touch depth, quantization) lives here, not in ``shared_signals``:
it describes Hummingbot's paper exchange, not the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from poc_hummingbot.mqtt.config import MqttConfig

OrderTypeName = Literal["market", "limit"]

PLATFORM = "hummingbot"
SIGNALS_DIR = "signals"
"""Folder of ``platform_dir`` that holds the provider's files, the strategy's only input (file transport)."""
LATEST_SIGNAL = "latest_signal.json"
SIGNAL_HISTORY = "signal_history.jsonl"
PROVIDER_DIR = "provider"
"""Folder of ``platform_dir`` with the provider's own journal (``events.jsonl``, kind ``signal_published``)."""
PROVIDER_LOG = "provider.log"


@dataclass(frozen=True, slots=True)
class VenueModel:
    """How Hummingbot's ``MockPaperExchange`` fills: reported in ``run.json`` as the venue, not as platform latency."""

    fill_delay_s: float = 0.0
    """``TRADE_EXECUTION_DELAY`` in market seconds (Hummingbot's own default is 5 s). 0 makes a market
    order fill on the next clock tick at that tick's touch: the exchange ticks before the strategy, so
    one tick is the shortest delay Hummingbot's paper exchange can give, and the closest it gets to
    Nautilus' immediate backtest fills. Live mode divides it by the speed (the exchange counts wall seconds)."""
    touch_size_floor: float = 1_000.0
    """Base units shown at the touch at least. The paper exchange walks the book for market orders and
    miscounts an order larger than the book; a deep touch fills every gate-approved order whole at the
    quoted price, as the reference replay assumes."""
    price_decimals: int = 2
    """Price quantum of the paper exchange (0.01 USDT); limit prices are rounded down to it."""
    price_precision: int = 8
    """Significant digits of a price (Hummingbot ``QuantizationParams``)."""
    size_precision: int = 8
    """Significant digits of an amount (Hummingbot ``QuantizationParams``); the size decimals come
    from the decision's ``qty_decimals`` so the venue and the decision share one order step."""


@dataclass(frozen=True, slots=True)
class HummingbotConfig:
    """The strategy's and the run's knobs beyond the shared :class:`RunOptions`."""

    order_type: OrderTypeName = "market"
    """``market``, or ``limit`` at the touch plus ``limit_offset`` (seed 000: 0.1% premium/discount)."""
    limit_offset: float = 0.001
    limit_timeout_s: float = 60.0
    """Market seconds a limit order may rest unfilled before the strategy cancels it (journaled as rejected)."""
    venue: VenueModel = VenueModel()
    live_start_delay_s: float = 2.0
    """Wall seconds between launching the provider process and market time starting, so both are up."""
    provider_check_s: float = 1.0
    """Wall seconds between checks that the provider process is still alive (live mode)."""
    provider_stop_timeout_s: float = 5.0
    """Wall seconds the provider gets to close its journal after SIGTERM before it is killed."""
    replay_chunk_ticks: int = 2_000
    """Backtest ticks between returns to the asyncio loop (the paper exchange posts events as tasks)."""
    max_payload_bytes: int = 65_536
    """A signal file or MQTT message larger than this is refused as invalid, never parsed."""
    mqtt: MqttConfig = MqttConfig()
    """The MQTT transport (``--transport mqtt``): QoS, retain, topic, reconnection, the broker folder."""
