"""What the report says of ``run-both --sensitivity``: under which harness settings the recommendation
holds, which one changes it (in the first lines), and each setting's verdict."""

from __future__ import annotations

from evaluator.analysis.confidence import Difference
from evaluator.analysis.pipeline import Analysis
from evaluator.analysis.sensitivity import SettingOutcome
from evaluator.report.figures import table
from evaluator.report.numbers import fmt
from evaluator.report.verdict import FIGURE_WORDS, category_words, recommendation_words, recommended_words
from shared_signals.contract.modes import REPLAY


def setting_words(outcome: SettingOutcome) -> str:
    return f"{outcome.key}={outcome.value}"


def kept_cell(outcome: SettingOutcome, names: list[str]) -> str:
    """The comparison's columns the setting did not rerun, and why: a setting it cannot change in this
    run, or a setting its platform does not have."""
    kept = [f"{c} ({'cannot change it here' if c in outcome.unchanged else 'has no such setting'})"
            for c in names if outcome.columns[c] == c]
    return ", ".join(kept) or "none"


def settled_cell(d: Difference) -> str:
    scored = category_words(d.category) if d.category else "shown, not scored"
    return f"{FIGURE_WORDS[d.figure]} {d.first} − {d.second} = {d.difference:+.3g} {d.unit}, for {d.better} ({scored})"


def sensitivity_lines(analysis: Analysis) -> list[str]:
    """The header's lines: where the recommendation holds, and every setting that changes it."""
    outcomes = analysis.sensitivity
    if not outcomes:
        if analysis.run.spec.mode != REPLAY:
            return []
        return ["> Whether a harness setting (a clock tick, the fill delay, the quote-age limit, the venue model) would "
                "change this recommendation was not measured: `run-both --sensitivity` runs each beside the comparison."]
    holding = [setting_words(o) for o in outcomes if o.holds]
    moving = [f"{setting_words(o)} (then: {recommended_words(o.recommended)})" for o in outcomes if not o.holds]
    if not moving:
        return [f"> **Holds under every harness setting tried**: {', '.join(holding)}."]
    return [f"> **The recommendation follows a harness setting**: it changes with {'; '.join(moving)}"
            + (f", and holds with {', '.join(holding)}." if holding else ".")]


def sensitivity_section(analysis: Analysis) -> str:
    outcomes = analysis.sensitivity
    if not outcomes:
        return ""
    names = analysis.names
    rows = [[setting_words(o), ", ".join(f"{c} → {o.columns[c]}" for c in names if o.columns[c] != c) or "none",
             kept_cell(o, names), recommended_words(o.recommended),
             ", ".join(f"{n} {fmt(o.overall.get(n))}" for n in names),
             ", ".join(f"{n} {fmt(o.net_pnl.get(n))}" for n in names), "; ".join(map(settled_cell, o.settled)) or "none",
             "yes" if o.holds else "**no**"] for o in outcomes]
    rerun = sum(1 for o in outcomes for c in names if o.columns[c] != c)
    return "\n\n".join([
        "## Sensitivity to harness settings",
        f"The comparison again with each harness setting at another value a user could reasonably choose. Each row's "
        f"columns ran in this run after the comparison's own, {fmt(rerun)} processes at once on "
        f"{fmt(analysis.run.record.machine.cpus)} cores; what a column costs the machine (CPU, memory, wall-clock "
        "throughput) is taken from the comparison's column it stands in for, measured alone, so a row moves with its "
        "setting, not with the crowd. A column a setting cannot change keeps its place. The verdict of each row is "
        f"reached exactly as the comparison's: recommended here, **{recommendation_words(analysis.verdict)}**. "
        "\"Settled\" lists each difference of the row beyond noise and its threshold, scored or shown (but processing "
        "time, the wall clock of the crowded processes): a setting can move a figure without moving a score (a venue's "
        "fee is in the execution cost, not in the gross return the trading-results score reads).",
        table(["setting", "columns rerun", "kept", "recommended", "overall", "net PnL (USDT)", "settled", "holds"], rows),
    ])
