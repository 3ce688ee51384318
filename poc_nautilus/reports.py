"""Nautilus' own view of the run, saved beside the journal for the evaluator.

The orders, fills, positions and account reports come from Nautilus' ``Trader``; the statistics
from its ``PortfolioAnalyzer``. They are the platform's numbers, against which the journal (what the
strategy saw) can be checked.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

from nautilus_trader.model.identifiers import Venue

from shared_signals.contract.own_figures import (
    OWN_FIGURES_VERSION,
    Definition,
    OwnFigure,
    OwnFigureKind,
    OwnFigures,
    write_own_figures,
)

log = logging.getLogger(__name__)

REPORT_FILES = {
    "orders": "nautilus_orders.csv",
    "fills": "nautilus_fills.csv",
    "positions": "nautilus_positions.csv",
    "account": "nautilus_account.csv",
}
STATISTICS_FILE = "nautilus_statistics.json"
ANALYZER = "PortfolioAnalyzer"
SHARPE_PERIODS = 252
"""The ``Sharpe Ratio (252 days)`` of Nautilus' analyzer: its daily returns annualised by √252."""


def _plain(value: Any) -> Any:
    """JSON-safe: NaN/inf become None (Sharpe is NaN inside one day), other objects their text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (int, str, bool)) or value is None:
        return value
    return str(value)


def statistics(portfolio: Any, cache: Any, venue: Venue, calculate: bool) -> dict[str, Any]:
    """PnL, returns and general statistics of Nautilus' portfolio analyzer for ``venue``'s account.

    ``calculate`` False when the analyzer is already up to date: a ``BacktestEngine.end()`` has just
    calculated them from the same account and positions."""
    account = cache.account_for_venue(venue)
    if account is None:
        return {}
    analyzer = portfolio.analyzer
    if calculate:
        analyzer.calculate_statistics(account, cache.positions() + cache.position_snapshots())
    return _plain(
        {
            "pnls": {currency.code: analyzer.get_performance_stats_pnls(currency) for currency in analyzer.currencies},
            "returns": analyzer.get_performance_stats_returns(),
            "general": analyzer.get_performance_stats_general(),
            "balances": {
                currency.code: {"total": balance.total.as_double(), "free": balance.free.as_double()}
                for currency, balance in account.balances().items()
            },
        }
    )


def own_figures(stats: dict[str, Any], quote_currency: str) -> OwnFigures:
    """The analyzer's figures that stand beside the report's, each with the definition it follows
    (checked against this version: its Sharpe is reproduced to 1e-12 from the positions' returns
    compounded per day, its PnL and win rate from the closed positions)."""
    pnls = stats.get("pnls", {}).get(quote_currency, {})
    returns = stats.get("returns", {})
    return OwnFigures(OWN_FIGURES_VERSION, ANALYZER, (
        OwnFigure(OwnFigureKind.PNL, pnls.get("PnL (total)"), Definition.REALIZED_POSITION_PNL),
        OwnFigure(OwnFigureKind.RETURN_PCT, pnls.get("PnL% (total)"), Definition.REALIZED_PNL_OVER_STARTING_QUOTE),
        OwnFigure(OwnFigureKind.SHARPE, returns.get(f"Sharpe Ratio ({SHARPE_PERIODS} days)"),
                  Definition.POSITION_RETURNS_DAILY_SHARPE, SHARPE_PERIODS),
        OwnFigure(OwnFigureKind.WIN_RATE, pnls.get("Win Rate"), Definition.POSITIONS_WON),
    ))


def save_reports(trader: Any, portfolio: Any, cache: Any, venue: Venue, folder: Path, calculate: bool = True) -> list[Path]:
    """Writes the four reports (csv), the statistics (json) and the own figures beside the report's
    into ``folder``; returns the files."""
    frames = {
        "orders": trader.generate_orders_report(),
        "fills": trader.generate_order_fills_report(),
        "positions": trader.generate_positions_report(),
        "account": trader.generate_account_report(venue),
    }
    written = []
    for name, frame in frames.items():
        target = folder / REPORT_FILES[name]
        frame.to_csv(target)
        written.append(target)
    stats = statistics(portfolio, cache, venue, calculate)
    target = folder / STATISTICS_FILE
    target.write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    written.append(target)
    quote_currencies = {instrument.quote_currency.code for instrument in cache.instruments(venue)}
    if len(quote_currencies) == 1:
        written.append(write_own_figures(folder, own_figures(stats, quote_currencies.pop())))
    return written
