"""The typed, frozen configuration of the Nautilus strategy and the venue it trades on.

``Q50StrategyConfig`` is a real ``nautilus_trader`` ``StrategyConfig`` (a frozen msgspec struct), so
Nautilus can record it with the run; it carries every parameter the shared core needs and
rebuilds the :class:`SignalCoreConfig` from them, so the strategy never holds a second copy of
the trade rules.
"""

from __future__ import annotations

from nautilus_trader.config import StrategyConfig
from nautilus_trader.model.identifiers import InstrumentId

from shared_signals.config import (
    DecisionParams,
    DecisionRule,
    LivestreamParams,
    LoaderParams,
    NANOS_PER_SECOND,
    RiskLimits,
    SignalCoreConfig,
    SizingParams,
)

VENUE_NAME = "BINANCE"
"""The simulated venue: the replay's ``SimulatedExchange`` and the live Sandbox execution client."""
TRADER_ID = "Q50-001"
NAUTILUS_LOG_LEVEL = "ERROR"
"""Nautilus logs every component's life cycle at INFO; the journal is the record, so only errors print."""
QUOTE_BATCH_ROWS = 20_000
"""Quotes read, validated and turned into ticks per batch in replay (a few MB of tick objects):
memory stays flat however long the file; larger batches are no faster."""
DEFAULT_HEARTBEAT_S = 1.0
DEFAULT_ORDER_ID_TAG = "Q50"

PLATFORM = "nautilus"
"""The name in journals, run folders and reports."""


class Q50StrategyConfig(StrategyConfig, frozen=True, kw_only=True):
    """Everything one :class:`~poc_nautilus.strategy.Q50Strategy` needs.

    Event and command logging is off by default: Nautilus formats each log line in Python even
    when the level filters it out, which costs replay throughput; the journal records what matters.
    """

    instrument_id: InstrumentId
    signals_path: str
    """The signal file (pkl, parquet, csv); loaded and validated before the engine starts."""
    threshold: float = DecisionParams().threshold
    tolerance_ns: int = LoaderParams().tolerance_ns
    """A signal older than this (market time) is no longer in force: no action."""
    close_on_hold: bool = DecisionParams().close_on_hold
    allow_short: bool = DecisionParams().allow_short
    sizing: SizingParams = SizingParams()
    decision_rule: DecisionRule = DecisionParams().rule
    """``shared`` or ``ai_livestream`` (Hummingbot's controller rule, see ``shared_signals.livestream``)."""
    livestream: LivestreamParams = LivestreamParams()
    risk: RiskLimits = RiskLimits()
    close_on_stop: bool = True
    """On stop, close the open position with a market order (passed through the risk gate)."""
    heartbeat_s: float = DEFAULT_HEARTBEAT_S
    """Wall seconds between ``heartbeat`` journal events."""
    order_id_tag: str = DEFAULT_ORDER_ID_TAG
    log_events: bool = False
    log_commands: bool = False

    @property
    def heartbeat_ns(self) -> int:
        return int(self.heartbeat_s * NANOS_PER_SECOND)

    def core_config(self) -> SignalCoreConfig:
        """The shared core's configuration, rebuilt from this struct's fields."""
        decision = DecisionParams(
            threshold=self.threshold,
            close_on_hold=self.close_on_hold,
            allow_short=self.allow_short,
            sizing=self.sizing,
            rule=self.decision_rule,
            livestream=self.livestream,
        )
        return SignalCoreConfig(decision=decision, risk=self.risk, loader=LoaderParams(tolerance_ns=self.tolerance_ns))

    @classmethod
    def from_core(
        cls,
        core: SignalCoreConfig,
        instrument_id: str,
        signals_path: str,
        heartbeat_s: float = DEFAULT_HEARTBEAT_S,
        close_on_stop: bool = True,
    ) -> Q50StrategyConfig:
        """The strategy configuration for a run of the shared core configuration ``core``."""
        return cls(
            instrument_id=InstrumentId.from_str(instrument_id),
            signals_path=signals_path,
            threshold=core.decision.threshold,
            tolerance_ns=core.loader.tolerance_ns,
            close_on_hold=core.decision.close_on_hold,
            allow_short=core.decision.allow_short,
            sizing=core.decision.sizing,
            decision_rule=core.decision.rule,
            livestream=core.decision.livestream,
            risk=core.risk,
            close_on_stop=close_on_stop,
            heartbeat_s=heartbeat_s,
        )
