"""The simulated venue both modes trade on: BINANCE spot, NETTING, a CASH account, instruments built locally.

One place, so the replay's ``SimulatedExchange`` and the live Sandbox client are set up alike.
"""

from __future__ import annotations

from decimal import Decimal

from nautilus_trader.backtest.models import LatencyModel
from nautilus_trader.model.enums import AccountType, OmsType
from nautilus_trader.model.identifiers import InstrumentId, Symbol, Venue
from nautilus_trader.model.instruments import CurrencyPair
from nautilus_trader.model.objects import Currency, Money
from nautilus_trader.test_kit.providers import TestInstrumentProvider

from poc_nautilus.offline import VENUE_NAME, offline_instrument
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.spec import RunSpec

VENUE = Venue(VENUE_NAME)
OMS_TYPE = OmsType.NETTING
ACCOUNT_TYPE = AccountType.CASH
BUILT_IN = {"BTCUSDT": TestInstrumentProvider.btcusdt_binance, "ETHUSDT": TestInstrumentProvider.ethusdt_binance}
"""Binance spot definitions Nautilus builds locally (nothing is downloaded)."""
TEMPLATE_SYMBOL = "ETHUSDT"
"""Other USDT pairs copy this definition (price step 0.01, size step 0.00001, the same fees)."""


def venue_instrument(instrument: str, fee_rate: float | None = None) -> CurrencyPair:
    """The Nautilus spot instrument for ``instrument`` (any spelling) on the simulated BINANCE, charging
    ``fee_rate`` of the notional on every fill (maker and taker), or its own fees when None.

    BTCUSDT and ETHUSDT are Binance's own definitions from ``TestInstrumentProvider`` (BTCUSDT: price
    precision 2, size precision 6, taker fee 0.1%). Another ``<BASE>USDT`` pair, for scalability runs,
    is the ETHUSDT definition with that base currency.
    """
    parsed = offline_instrument(instrument)
    if parsed.symbol in BUILT_IN and fee_rate is None:
        return BUILT_IN[parsed.symbol]()
    template = BUILT_IN.get(parsed.symbol, BUILT_IN[TEMPLATE_SYMBOL])()
    fee = None if fee_rate is None else Decimal(repr(fee_rate))
    return CurrencyPair(
        instrument_id=InstrumentId(Symbol(parsed.symbol), VENUE),
        raw_symbol=Symbol(parsed.symbol),
        base_currency=Currency.from_str(parsed.base),
        quote_currency=template.quote_currency,
        price_precision=template.price_precision,
        size_precision=template.size_precision,
        price_increment=template.price_increment,
        size_increment=template.size_increment,
        lot_size=template.lot_size,
        max_quantity=template.max_quantity,
        min_quantity=template.min_quantity,
        max_notional=template.max_notional,
        min_notional=template.min_notional,
        max_price=template.max_price,
        min_price=template.min_price,
        margin_init=template.margin_init,
        margin_maint=template.margin_maint,
        maker_fee=template.maker_fee if fee is None else fee,
        taker_fee=template.taker_fee if fee is None else fee,
        ts_event=0,
        ts_init=0,
    )


def spec_instrument(spec: RunSpec) -> CurrencyPair:
    """The instrument of ``spec`` with the fees of its venue model."""
    return venue_instrument(spec.instrument, spec.venue.fee_rate)


def latency_model(spec: RunSpec) -> LatencyModel | None:
    """The run's venue fill delay as Nautilus' backtest latency model: an order reaches the simulated
    exchange that much market time after it is sent, and fills at the quote in force then."""
    delay_ns = round(spec.venue.fill_delay_s * NANOS_PER_SECOND)
    return LatencyModel(base_latency_nanos=delay_ns) if delay_ns > 0 else None


def starting_balances(instrument: CurrencyPair, quote: float, base: float) -> list[Money]:
    """Paper balances: ``quote`` USDT and ``base`` of the instrument's base currency (the inventory
    a spot 'short' sells)."""
    return [Money(quote, instrument.quote_currency), Money(base, instrument.base_currency)]
