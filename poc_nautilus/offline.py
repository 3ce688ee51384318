"""What NautilusTrader can run offline, decided without importing it.

The harness asks (the registry's ``preflight``) in its own process before any platform starts, so an
instrument Nautilus has no definition for is the user's one line, not a Nautilus crash scored against
it; the venue builds its instruments by the same rule.
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
    offline_instrument(spec.instrument)
