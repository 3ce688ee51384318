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

log = logging.getLogger(__name__)

REPORT_FILES = {
    "orders": "nautilus_orders.csv",
    "fills": "nautilus_fills.csv",
    "positions": "nautilus_positions.csv",
    "account": "nautilus_account.csv",
}
STATISTICS_FILE = "nautilus_statistics.json"


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


def save_reports(trader: Any, portfolio: Any, cache: Any, venue: Venue, folder: Path, calculate: bool = True) -> list[Path]:
    """Writes the four reports (csv) and the statistics (json) into ``folder``; returns the files."""
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
    target = folder / STATISTICS_FILE
    target.write_text(json.dumps(statistics(portfolio, cache, venue, calculate), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    written.append(target)
    return written
