"""The platform's own figures beside the report's, and each recomputed from the column's journal under
the platform's own definition: when the recomputation agrees with the platform, what separates its
figure from the report's is the definition, and the report can say which part of it.

Positions are the platform's kind (one instrument, netting): a position opens when the signed
quantity leaves zero and closes when it returns to zero; a fill that crosses zero closes the position
and opens the next with the rest (its fee shared in proportion to quantity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from evaluator.analysis.metrics.trading import TradingResults
from shared_signals.config import NANOS_PER_DAY
from shared_signals.contract.codes import EventKind
from shared_signals.contract.own_figures import Definition, OwnFigureKind, OwnFigures

FLAT = 1e-9
"""A position this small (base units) is flat: fills carry binary noise."""
PNL_MATCH = 0.01
"""Quote currency: a PnL recomputed within a cent agrees."""
RATIO_MATCH = 1e-6
"""Relative: a ratio recomputed this close agrees (the platform rounds nothing, the journal's prices
are the platform's own)."""
POSITION_COLUMNS = ["closed_ns", "side", "open_px", "close_px", "pnl"]


def closed_positions(events: pd.DataFrame) -> pd.DataFrame:
    """One row per closed position of the journal's fills: its close time, side (+1 long, −1 short),
    average open and close prices and realized PnL, fees included."""
    fills = events[events["kind"] == EventKind.ORDER_FILLED].sort_values(["sim_ts_ns", "seq"], kind="stable")
    signed = (fills["qty"].astype(float) * fills["side"].map(SIDE_SIGN).astype(float)).tolist()
    rows = []
    position = side = 0.0
    opened = open_value = closed = close_value = pnl = 0.0
    for t, x, price, fee in zip(fills["sim_ts_ns"].tolist(), signed, fills["price"].astype(float).tolist(),
                                fills["fee"].astype(float).fillna(0.0).tolist()):
        left = abs(x)
        while left > FLAT:
            if abs(position) <= FLAT:
                side, opened, open_value, closed, close_value, pnl = math.copysign(1.0, x), 0.0, 0.0, 0.0, 0.0, 0.0
            part = left if math.copysign(1.0, x) == side else min(left, abs(position))
            pnl -= fee * part / abs(x)
            if math.copysign(1.0, x) == side:
                opened += part
                open_value += part * price
                position += side * part
            else:
                closed += part
                close_value += part * price
                pnl += side * part * (price - open_value / opened)
                position -= side * part
                if abs(position) <= FLAT:
                    rows.append((int(t), side, open_value / opened, close_value / closed, pnl))
                    position = 0.0
            left -= part
    return pd.DataFrame(rows, columns=POSITION_COLUMNS)


def daily_position_sharpe(positions: pd.DataFrame, periods_per_year: int) -> float:
    """Closed positions' price returns compounded per UTC day of closing, mean over std (ddof 1), times
    √periods; NaN with fewer than two days or no variation."""
    if positions.empty:
        return math.nan
    returns = positions["side"] * (positions["close_px"] - positions["open_px"]) / positions["open_px"]
    daily = (1.0 + returns).groupby(positions["closed_ns"] // NANOS_PER_DAY).prod() - 1.0
    if len(daily) < 2 or daily.std() == 0:
        return math.nan
    return float(daily.mean() / daily.std() * np.sqrt(periods_per_year))


def on_journal(definition: Definition, positions: pd.DataFrame, starting_quote: float, periods_per_year: int | None) -> float:
    """``definition`` computed on a journal's closed positions."""
    pnl = float(positions["pnl"].sum())
    if definition is Definition.REALIZED_POSITION_PNL:
        return pnl
    if definition is Definition.REALIZED_PNL_OVER_STARTING_QUOTE:
        return 100.0 * pnl / starting_quote
    if definition is Definition.POSITIONS_WON:
        return float((positions["pnl"] > 0).mean()) if len(positions) else math.nan
    return daily_position_sharpe(positions, periods_per_year or 0)


@dataclass(frozen=True)
class OwnFigureCheck:
    kind: OwnFigureKind
    definition: Definition
    periods_per_year: int | None
    platform: float
    """As the platform computed it (NaN where it gives none)."""
    journal: float
    """The same definition on the column's journal."""
    ours: float
    """The report's own figure of that kind (NaN: the report has none, e.g. a win rate)."""

    @property
    def reproduced(self) -> bool:
        """The platform's figure follows from the journal under its definition."""
        if math.isnan(self.platform) or math.isnan(self.journal):
            return math.isnan(self.platform) and math.isnan(self.journal)
        if self.kind is OwnFigureKind.PNL:
            return abs(self.platform - self.journal) <= PNL_MATCH
        return math.isclose(self.platform, self.journal, rel_tol=RATIO_MATCH, abs_tol=RATIO_MATCH)


@dataclass(frozen=True)
class PlatformFigures:
    """A column's own figures, each checked against its journal."""

    source: str
    checks: list[OwnFigureCheck]
    positions: int
    """Closed positions in the journal."""


def platform_figures(own: OwnFigures | None, events: pd.DataFrame, trading: TradingResults, starting_quote: float) -> PlatformFigures | None:
    if own is None:
        return None
    positions = closed_positions(events)
    ours = {OwnFigureKind.PNL: trading.pnl, OwnFigureKind.RETURN_PCT: trading.return_pct, OwnFigureKind.SHARPE: trading.sharpe}
    checks = [OwnFigureCheck(f.kind, f.definition, f.periods_per_year, math.nan if f.value is None else float(f.value),
                             on_journal(f.definition, positions, starting_quote, f.periods_per_year), ours.get(f.kind, math.nan))
              for f in own.figures]
    return PlatformFigures(own.source, checks, len(positions))
