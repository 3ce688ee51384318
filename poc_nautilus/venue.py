"""The simulated venue both modes trade on: BINANCE spot, NETTING, a CASH account, BTCUSDT built locally.

One place, so the replay's ``SimulatedExchange`` and the live Sandbox client are set up alike.
"""

from __future__ import annotations

from nautilus_trader.model.currencies import BTC, USDT
from nautilus_trader.model.enums import AccountType, OmsType
from nautilus_trader.model.identifiers import Venue
from nautilus_trader.model.instruments import CurrencyPair
from nautilus_trader.model.objects import Money
from nautilus_trader.test_kit.providers import TestInstrumentProvider

from poc_nautilus.config import VENUE_NAME
from shared_signals.errors import InputError
from shared_signals.instruments import parse_instrument

VENUE = Venue(VENUE_NAME)
OMS_TYPE = OmsType.NETTING
ACCOUNT_TYPE = AccountType.CASH
SUPPORTED_SYMBOL = "BTCUSDT"


def venue_instrument(instrument: str) -> CurrencyPair:
    """The Nautilus instrument for ``instrument`` (any spelling); only BTCUSDT is built offline.

    ``TestInstrumentProvider.btcusdt_binance()`` builds Binance's spot definition locally (price
    precision 2, size precision 6, taker fee 0.1%); nothing is downloaded.
    """
    parsed = parse_instrument(instrument)
    if parsed.symbol != SUPPORTED_SYMBOL or parsed.venue != VENUE_NAME:
        raise InputError(
            f"instrument '{instrument}' is not available offline for NautilusTrader: use {SUPPORTED_SYMBOL}.{VENUE_NAME}"
        )
    return TestInstrumentProvider.btcusdt_binance()


def starting_balances(quote: float, base: float) -> list[Money]:
    """Paper balances: ``quote`` USDT and ``base`` BTC (the inventory a spot 'short' sells)."""
    return [Money(quote, USDT), Money(base, BTC)]
