"""The section that sets a platform's own statistics beside the report's: a user who opens the
platform's analyzer first finds the same run described by other definitions, and this says which."""

from __future__ import annotations

from evaluator.analysis.metrics.own_figures import OwnFigureCheck
from evaluator.analysis.pipeline import Analysis
from evaluator.report.figures import table
from evaluator.report.numbers import fmt
from shared_signals.contract.own_figures import Definition, OwnFigureKind

KIND_WORDS = {
    OwnFigureKind.PNL: "PnL (USDT)",
    OwnFigureKind.RETURN_PCT: "return (%)",
    OwnFigureKind.SHARPE: "Sharpe",
    OwnFigureKind.WIN_RATE: "win rate",
}
DEFINITION_WORDS = {
    Definition.REALIZED_POSITION_PNL: "the closed positions' realized PnL, fees included",
    Definition.REALIZED_PNL_OVER_STARTING_QUOTE: "that PnL over the account's starting quote balance",
    Definition.POSITION_RETURNS_DAILY_SHARPE: ("each closed position's price return (fees left out), compounded per UTC day of "
                                               "closing, mean over standard deviation of those days, times √{periods}"),
    Definition.POSITIONS_WON: "the share of closed positions with a realized PnL above zero, fees included",
}
OUR_WORDS = {
    OwnFigureKind.PNL: "every fill's cash flow and fee, and the position left at the last mark",
    OwnFigureKind.RETURN_PCT: "that PnL over the sizing capital",
    OwnFigureKind.SHARPE: "hourly equity returns (fees included, open positions marked to the 1-minute mids), annualised by √(24 × 365)",
}


def definition_words(check: OwnFigureCheck) -> str:
    return DEFINITION_WORDS[check.definition].format(periods=check.periods_per_year)


def platform_figures_section(analysis: Analysis) -> str:
    rows, lines = [], []
    for name, m in analysis.figures.columns.items():
        own = m.platform_figures
        if own is None:
            continue
        for check in own.checks:
            rows.append([name, KIND_WORDS[check.kind], fmt(check.platform, 4), fmt(check.journal, 4),
                         "reproduced" if check.reproduced else "**not reproduced**", fmt(check.ours, 4)])
        source = f"{m.column.label}'s {own.source}"
        lines.append(f"- {name}: {source} over {fmt(own.positions)} closed positions. " + " ".join(
            f"Its {KIND_WORDS[c.kind]} is {definition_words(c)}"
            + (f"; the report's is {OUR_WORDS[c.kind]}." if c.kind in OUR_WORDS else "; the report has none.")
            for c in own.checks))
    if not rows:
        return ""
    return "\n\n".join([
        "## The platform's own figures",
        "Where a platform computes figures about its own run, they stand here beside the report's, with the "
        "same definition recomputed from the column's journal: where it is reproduced, the platform's figure and "
        "the report's differ by their definitions alone.",
        table(["column", "figure", "platform's", "its definition on the journal", "", "the report's"], rows),
        "\n".join(lines),
    ])
