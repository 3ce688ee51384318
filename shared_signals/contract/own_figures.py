"""The figures a platform computes about its own run (its analyzer's PnL, Sharpe, win rate), as it
computed them, with the definition each follows: ``<column>/own_figures.json``.

A user who opens the platform's statistics first sees numbers that differ from the report's, for
reasons of definition, not of trading. Each figure names its :class:`Definition` (a fact, not a
sentence), so the evaluator can recompute it from the journal under that same definition and the
report can say what separates it from its own figure.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import msgspec

from shared_signals.contract.layout import OWN_FIGURES_JSON

OWN_FIGURES_VERSION = 1


class OwnFigureKind(StrEnum):
    """Which of the report's figures the platform's own figure stands beside."""

    PNL = "pnl"
    RETURN_PCT = "return_pct"
    SHARPE = "sharpe"
    WIN_RATE = "win_rate"


class Definition(StrEnum):
    """How a platform computed a figure, precisely enough to recompute it from a journal."""

    REALIZED_POSITION_PNL = "realized_position_pnl"
    """The sum of the closed positions' realized PnL, fees included (quote currency)."""
    REALIZED_PNL_OVER_STARTING_QUOTE = "realized_pnl_over_starting_quote"
    """That PnL over the account's starting quote balance, in percent."""
    POSITION_RETURNS_DAILY_SHARPE = "position_returns_daily_sharpe"
    """Each closed position's price return (fees left out: (close − open) / open, signed by its side),
    compounded per UTC day of closing; mean over standard deviation (ddof 1) of those daily returns,
    times √``periods_per_year``."""
    POSITIONS_WON = "positions_won"
    """The share of closed positions whose realized PnL (fees included) is above zero."""


class OwnFigure(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    kind: OwnFigureKind
    value: float | None
    """None where the platform gives none (a Sharpe inside one day)."""
    definition: Definition
    periods_per_year: int | None = None
    """The annualisation of a ratio (Sharpe)."""


class OwnFigures(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    schema_version: int
    source: str
    """The platform component that computed them, as the platform names it."""
    figures: tuple[OwnFigure, ...]


def write_own_figures(folder: Path, figures: OwnFigures) -> Path:
    path = folder / OWN_FIGURES_JSON
    path.write_bytes(msgspec.json.format(msgspec.json.encode(figures), indent=2) + b"\n")
    return path


def read_own_figures(folder: Path) -> OwnFigures | None:
    """The column's own figures; None when its platform writes none, or the file is absent or does not
    decode (a report then shows no platform figures for that column, it does not guess)."""
    path = folder / OWN_FIGURES_JSON
    try:
        figures = msgspec.json.decode(path.read_bytes(), type=OwnFigures)
    except (OSError, msgspec.DecodeError):
        return None
    return figures if figures.schema_version == OWN_FIGURES_VERSION else None
