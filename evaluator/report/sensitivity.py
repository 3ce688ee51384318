"""What the report says of ``run-both --sensitivity``: under which harness settings the recommendation
holds, which one changes it (in the first lines), and each setting's verdict."""

from __future__ import annotations

from evaluator.analysis.pipeline import Analysis
from evaluator.analysis.sensitivity import SettingOutcome
from evaluator.report.figures import table
from evaluator.report.numbers import fmt
from evaluator.report.verdict import recommendation_words, recommended_words
from shared_signals.contract.modes import REPLAY


def setting_words(outcome: SettingOutcome) -> str:
    return f"{outcome.key}={outcome.value}"


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
             ", ".join(o.unchanged) or "none", recommended_words(o.recommended),
             ", ".join(f"{n} {fmt(o.overall.get(n))}" for n in names), "yes" if o.holds else "**no**"] for o in outcomes]
    rerun = sum(1 for o in outcomes for c in names if o.columns[c] != c)
    return "\n\n".join([
        "## Sensitivity to harness settings",
        f"The comparison again with each harness setting at another value a user could reasonably choose. Each row's "
        f"columns ran in this run beside the comparison's own ({fmt(len(names) + rerun)} processes at once on "
        f"{fmt(analysis.run.record.machine.cpus)} cores, so wall-clock and CPU figures here are those of a shared machine); "
        "a column a setting cannot change keeps its place. The verdict of each row is reached exactly as the "
        f"comparison's: recommended here, **{recommendation_words(analysis.verdict)}**.",
        table(["setting", "columns rerun", "cannot change", "recommended", "overall", "holds"], rows),
    ])
