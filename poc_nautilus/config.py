"""The typed, frozen configuration of the Nautilus strategy and the venue it trades on.

``Q50StrategyConfig`` is a real ``nautilus_trader`` ``StrategyConfig`` (a frozen msgspec struct), so
Nautilus can record it with the run; it carries the shared core's :class:`SignalCoreConfig` whole,
so the strategy never holds a second copy of the trade rules.
"""

from __future__ import annotations

from nautilus_trader.config import StrategyConfig
from nautilus_trader.model.identifiers import InstrumentId

from shared_signals.config import NANOS_PER_SECOND, SignalCoreConfig
from shared_signals.contract.platforms import NAUTILUS

TRADER_ID = "Q50-001"
NAUTILUS_LOG_LEVEL = "ERROR"
"""Nautilus logs every component's life cycle at INFO; the journal is the record, so only errors print."""
QUOTE_BATCH_ROWS = 20_000
"""Quotes read, validated and turned into ticks per batch in replay (a few MB of tick objects):
memory stays flat however long the file; larger batches are no faster."""
DEFAULT_HEARTBEAT_S = 1.0
DEFAULT_ORDER_ID_TAG = "Q50"

PLATFORM = NAUTILUS.name
"""The name in journals, run folders and reports."""


class Q50StrategyConfig(StrategyConfig, frozen=True, kw_only=True):
    """Everything one :class:`~poc_nautilus.strategy.Q50Strategy` needs: the instrument, the shared
    core's whole configuration (one field, so no part of it can be left behind) and the adapter's own
    settings.

    Event and command logging is off by default: Nautilus formats each log line in Python even
    when the level filters it out, which costs replay throughput; the journal records what matters.
    """

    instrument_id: InstrumentId
    core: SignalCoreConfig = SignalCoreConfig()
    """Tolerance, decision rule, sizing, risk limits: the trade rules, as the shared core defines them."""
    signal_delay_ns: int = 0
    """An injected signal delivery delay (the run spec's): each signal is held back this long."""
    fill_delay_ns: int = 0
    """The venue's market-order fill delay (the run spec's; replay's ``LatencyModel``): the strategy sets a
    time alert at each order's fill time, so the backtest clock stops there (see ``Q50Strategy._send``)."""
    starting_balances: tuple[float, float] | None = None
    """The paper account's starting (quote, base) balances: the risk gate watches the strategy's equity,
    not the paper inventory's (see ``SignalRunner``)."""
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
