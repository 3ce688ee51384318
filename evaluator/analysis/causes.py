"""Why the columns' trading results differ: each difference attributed to its cause, as facts (the
report words them). The thresholds below decide when two figures count as equal."""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluator.analysis.columns import Figures
from evaluator.analysis.metrics.execution_cost import GapFills
from evaluator.analysis.metrics.exits import LateTimeLimits
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.analysis.pairs import PairFigures
from shared_signals.contract.codes import ExitCause
from shared_signals.risk import RiskRule

RETURN_MATCH_PP = 0.005
"""Gross returns this close (percentage points: half a basis point of capital) to the reference count
as equal; the report gives both figures to four decimals, so it never reads as a contradiction of the
table."""
FEE_RATE_MATCH_BPS = 0.01
"""Fee rates (fees over volume) this close count as the same fee model: then fees differ only by
volume, which the attribution splits by signal."""
FILL_DELAY_MATCH_S = 1e-9
"""Venue fill delays this close count as the same venue model."""


@dataclass(frozen=True)
class ReferenceGap:
    """A column's gross return against its own reference replay's."""

    column: str
    own_pct: float
    reference_pct: float
    within: float
    """The match band, percentage points."""
    trades_differ: bool = True
    """Some of its signals' trades (side, quantity) or positions differ from the reference's (execution
    accuracy); False: the same trades, so a gap is in their prices or in closes without a signal."""

    @property
    def matches(self) -> bool:
        return abs(self.own_pct - self.reference_pct) <= self.within


@dataclass(frozen=True)
class FeeRates:
    """Two columns' fees and fee rates (fees over volume, %) when their fee models differ."""

    first: str
    second: str
    fees: tuple[float, float]
    rate_pct: tuple[float, float]


@dataclass(frozen=True)
class FillDelays:
    """Two columns' venue fill delays (market seconds) when they differ, and the median order → fill
    each journal shows (NaN: no fill of a signal)."""

    first: str
    second: str
    delay_s: tuple[float, float]
    measured_s: tuple[float, float] = (float("nan"), float("nan"))


@dataclass(frozen=True)
class ClosedMarket:
    """A column that met a closed market: the gate's refusals on quotes past their time in force, and
    its fills into a closed market (on the last quote before a gap, see ``execution_cost``)."""

    column: str
    refusals: int
    gap_fills: GapFills | None


@dataclass(frozen=True)
class EndClose:
    """A column whose platform closed the position it held when the run ended (its ``end_of_run``
    fills); the others' open positions are marked at the last mid instead."""

    column: str
    fills: int
    gross_pnl: float
    """Realised by the close against the average entry, before fees."""
    fees: float
    others: tuple[str, ...]
    """The columns that closed nothing at the end though they held a position (their platform's
    ``close_on_stop`` off, or an order still in flight then)."""


@dataclass(frozen=True)
class ClosesOffTouch:
    """A column's closes by one cause that filled worse than the touch in force (a resting LIMIT at its
    own price once the quote had moved past it), of its closes by that cause. The reference replay's
    closes are market orders at the touch by construction."""

    column: str
    cause: ExitCause
    fills: int
    of_fills: int
    forgone: float
    """Quote currency: what they took less than the touch."""


@dataclass(frozen=True)
class LateTimeLimitCloses:
    """A column whose time-limit closes were decided after their deadlines (see ``metrics.exits``)."""

    column: str
    late: LateTimeLimits


@dataclass(frozen=True)
class Causes:
    references: list[ReferenceGap]
    fee_rates: list[FeeRates]
    fill_delays: list[FillDelays]
    closed_markets: list[ClosedMarket]
    end_closes: list[EndClose] = field(default_factory=list)
    off_touch: list[ClosesOffTouch] = field(default_factory=list)
    held_open: tuple[str, ...] = ()
    """The columns that held a position when the run ended and closed nothing then."""
    late_time_limits: list[LateTimeLimitCloses] = field(default_factory=list)


def fee_rate_pct(fees: float, volume: float) -> float:
    return 100 * fees / volume if volume else 0.0


def causes(figures: Figures, pairs: list[PairFigures]) -> Causes:
    columns = figures.columns
    references = [ReferenceGap(n, m.trading.gross_return_pct, m.reference_trading.gross_return_pct, RETURN_MATCH_PP,
                               m.accuracy.executed_as_intended < m.accuracy.actionable
                               or m.accuracy.position_matches < m.accuracy.position_checks)
                  for n, m in columns.items()]
    fee_rates, fill_delays = [], []
    for pair in pairs:
        a, b = columns[pair.first], columns[pair.second]
        rates = (fee_rate_pct(a.trading.fees, a.trading.volume), fee_rate_pct(b.trading.fees, b.trading.volume))
        if abs(rates[0] - rates[1]) * BPS_PER_PERCENT > FEE_RATE_MATCH_BPS:
            fee_rates.append(FeeRates(pair.first, pair.second, (a.trading.fees, b.trading.fees), rates))
        if abs(a.fill_delay_s - b.fill_delay_s) > FILL_DELAY_MATCH_S:
            fill_delays.append(FillDelays(pair.first, pair.second, (a.fill_delay_s, b.fill_delay_s),
                                          (a.measured_fill_delay.median_s, b.measured_fill_delay.median_s)))
    closed = [ClosedMarket(n, m.stability.rejections_by_kind.get(RiskRule.STALE_QUOTE, 0), m.execution_cost.gap_fills)
              for n, m in columns.items()]
    closed = [c for c in closed if c.refusals or (c.gap_fills is not None and c.gap_fills.count)]
    late = [LateTimeLimitCloses(n, m.exits.late_time_limits) for n, m in columns.items()
            if m.exits is not None and m.exits.late_time_limits is not None]
    return Causes(references, fee_rates, fill_delays, closed, end_closes(figures), closes_off_touch(figures), held_open(figures),
                  late)


def held_open(figures: Figures) -> tuple[str, ...]:
    return tuple(n for n, m in figures.columns.items()
                 if m.exits is not None and m.exits.held_at_end and m.exits.of(ExitCause.END_OF_RUN) is None)


def closes_off_touch(figures: Figures) -> list[ClosesOffTouch]:
    found = []
    for name, m in figures.columns.items():
        for row in () if m.exits is None else m.exits.by_cause:
            if row.beyond_touch:
                found.append(ClosesOffTouch(name, row.cause, row.beyond_touch, row.fills, row.forgone))
    return found


def end_closes(figures: Figures) -> list[EndClose]:
    at_end = {n: m.exits.of(ExitCause.END_OF_RUN) for n, m in figures.columns.items() if m.exits is not None}
    closing = {n: row for n, row in at_end.items() if row is not None}
    others = tuple(n for n, m in figures.columns.items() if n not in closing and m.exits is not None and m.exits.held_at_end)
    return [EndClose(n, row.fills, row.gross_pnl, row.fees, others) for n, row in closing.items()]
