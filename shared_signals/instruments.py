"""One instrument, three spellings: ``BTCUSDT`` (signals) ⇄ ``BTCUSDT.BINANCE`` (Nautilus) ⇄ ``BTC-USDT`` (Hummingbot)."""

from __future__ import annotations

from dataclasses import dataclass

from shared_signals.errors import InputError

DEFAULT_VENUE = "BINANCE"
DEFAULT_INSTRUMENT = "BTCUSDT"
"""The instrument of the demo data and of every command run without ``--instrument``."""
KNOWN_QUOTES = ("USDT", "USDC", "FDUSD", "BUSD", "USD", "EUR", "BTC", "ETH")


@dataclass(frozen=True, slots=True)
class Instrument:
    base: str
    quote: str
    venue: str = DEFAULT_VENUE

    @property
    def symbol(self) -> str:
        return f"{self.base}{self.quote}"

    @property
    def hummingbot_pair(self) -> str:
        return f"{self.base}-{self.quote}"


def parse_instrument(text: str) -> Instrument:
    """Accepts any of the three spellings (case-insensitive) and returns the instrument."""
    raw = str(text).strip().upper()
    venue = DEFAULT_VENUE
    if "." in raw:
        raw, venue = raw.split(".", 1)
    if "-" in raw or "/" in raw:
        base, _, quote = raw.replace("/", "-").partition("-")
        if base and quote:
            return Instrument(base, quote, venue)
    else:
        for quote in KNOWN_QUOTES:
            if raw.endswith(quote) and len(raw) > len(quote):
                return Instrument(raw[: -len(quote)], quote, venue)
    raise InputError(
        f"unknown instrument '{text}': expected e.g. BTCUSDT, BTCUSDT.BINANCE or BTC-USDT "
        f"(quote currency one of {', '.join(KNOWN_QUOTES)})"
    )


def canonical_symbol(text: str) -> str:
    return parse_instrument(text).symbol
