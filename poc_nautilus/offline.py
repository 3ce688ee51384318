"""What NautilusTrader can run offline, decided without importing it.

The harness asks (the registry's ``preflight``) in its own process before any platform starts, so an
instrument Nautilus has no definition for, or a venue setting it cannot honour, is the user's one
line, not a Nautilus crash (or a silent difference) scored against it; the venue builds its
instruments by the same rule.
"""

from __future__ import annotations

from shared_signals.contract.spec import RunSpec
from shared_signals.errors import InputError
from shared_signals.instruments import Instrument, parse_instrument

VENUE_NAME = "BINANCE"
"""The simulated venue: the replay's ``SimulatedExchange`` and the live Sandbox execution client."""
QUOTE_CURRENCY = "USDT"
"""Every offline definition is a Binance spot pair quoted in this currency."""


def offline_instrument(text: str) -> Instrument:
    """``text`` (any spelling) when Nautilus can build it offline; :class:`InputError` otherwise."""
    parsed = parse_instrument(text)
    if parsed.venue != VENUE_NAME or parsed.quote != QUOTE_CURRENCY:
        raise InputError(
            f"instrument '{text}' is not available offline for NautilusTrader: use a <BASE>{QUOTE_CURRENCY}.{VENUE_NAME} pair"
        )
    return parsed


def preflight(spec: RunSpec) -> None:
    """The instrument, and a venue fill delay only where Nautilus has one: its backtest engine (the
    live Sandbox venue has no latency model)."""
    offline_instrument(spec.instrument)
    if spec.mode == "live" and spec.venue.fill_delay_s > 0:
        raise InputError(
            f"a venue fill delay of {spec.venue.fill_delay_s:g} s runs in replay only: Nautilus' live Sandbox venue "
            "has no latency model; leave --fill-delay out in live mode"
        )
