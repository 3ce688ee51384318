"""The report's venue, execution-cost and attribution sections: what each venue charged, what each
column's fills cost against the shared arrival price, and where each column's net result parts from
the baseline's."""

from __future__ import annotations

from evaluator.analysis.metrics.attribution import Cause, PnlAttribution
from evaluator.analysis.metrics.execution_cost import COMPONENTS, STALE_QUOTE_SPACINGS
from evaluator.analysis.metrics.fill_delay import AGREEMENT_S, FillDelay
from evaluator.analysis.pipeline import Analysis
from evaluator.report.figures import table
from evaluator.report.numbers import fmt

ATTRIBUTION_CHART = "attribution.png"
CAUSE_WORDS = {
    Cause.FEES: "fees",
    Cause.FILL_TIMING: "fill timing (the same quantity at another price)",
    Cause.SIZING: "sizing and rounding (another quantity)",
    Cause.CLOSING: "closing fills at the stop",
}
REMAINDER = "remainder"
COMPONENT_WORDS = {"half_spread": "half-spread", "delay": "delay (mid move, arrival → fill)", "fee": "fee"}


ACTS_ON_WORDS = {"quotes": "acts when a quote arrives", "ticks": "acts on its clock's ticks"}
MATCH_MS = fmt(AGREEMENT_S * 1_000, 0)


def measured_words(delay: FillDelay) -> str:
    """A column's measured order → fill: median (shortest–longest), over how many fills."""
    if not delay.fills:
        return "n/a (no fill)"
    return f"{fmt(delay.median_s, 3)} ({fmt(delay.min_s, 3)}–{fmt(delay.max_s, 3)}), {fmt(delay.fills)} fills"


def fill_rule_words(delays: dict[str, FillDelay]) -> str:
    """Whether every column's fills came exactly the delay its venue was set, named where not."""
    off = [name for name, d in delays.items() if d.as_set is False]
    lead = ("Fill delay: as set on each venue, and as measured from each column's journal (market time from an order to "
            "its fill, over the fills of signals).")
    if off:
        return (f"{lead} On {', '.join(off)} the measured order → fill is not the set delay on every fill (more than "
                f"{MATCH_MS} ms apart), so the venues do not fill alike: read its execution figures with that in mind.")
    if any(d.as_set for d in delays.values()):
        return f"{lead} Every measured fill came its venue's set delay after its order, within {MATCH_MS} ms."
    return f"{lead} No column has a fill to measure."


def venues_section(analysis: Analysis) -> str:
    spec = analysis.run.spec
    columns = analysis.figures.columns
    rows = [[name, run_column.venue.get("model", "n/a"), str(run_column.venue.get("fees", "n/a")),
             fmt(columns[name].fill_delay_s, 3), measured_words(columns[name].measured_fill_delay)]
            for name, run_column in analysis.run.columns.items()]
    own = "; ".join(f"{c.name} {ACTS_ON_WORDS[c.acts_on]}" for c in analysis.run.record.columns)
    lead = (
        f"Matched venues: every one charges {fmt(spec.venue.fee_bps)} bps of the notional on every fill (unless a variant "
        f"sets its own), so a difference in results comes from the platforms; what still differs is each platform's own "
        f"execution ({own})."
        if spec.venue.fee_rate is not None else
        "Native venues (`--venue-model native`): each platform's out-of-box venue, so fees differ by configuration, "
        "not by platform; the attribution below separates them."
    )
    header = ["column", "model", "fees", "fill delay set (s)", "measured order → fill (s): median (shortest–longest)"]
    delays = {name: m.measured_fill_delay for name, m in columns.items()}
    return "\n\n".join(["## Venues", lead, fill_rule_words(delays), table(header, rows)])


def execution_cost_section(analysis: Analysis) -> str:
    names = analysis.names
    costs = {n: m.execution_cost for n, m in analysis.figures.columns.items()}
    rows = [
        ["fills measured (left out: no signal or no arrival quote)", *(f"{fmt(c.fills)} ({fmt(c.unmeasured)})" for c in costs.values())],
        ["cost per fill, mean / median / p95 (bps)",
         *(f"{fmt(c.total.mean_bps)} / {fmt(c.total.median_bps)} / {fmt(c.total.p95_bps)}" for c in costs.values())],
        ["total cost (USDT)", *(fmt(c.total.total_usdt) for c in costs.values())],
        [f"fills on the last quote before a gap (older than {STALE_QUOTE_SPACINGS} quote intervals)",
         *(fmt(c.stale_fills) for c in costs.values())],
        *[[f"{COMPONENT_WORDS[k]}: mean bps, total USDT",
           *(f"{fmt(c.components[k].mean_bps)}, {fmt(c.components[k].total_usdt)}" for c in costs.values())] for k in COMPONENTS],
    ]
    return "\n\n".join([
        "## Execution cost (TCA)",
        "Each fill against the arrival price of its signal (the mid of the first quote at or after the signal's "
        "time, the same for every column), in basis points; positive is a cost.",
        table(["figure", *names], rows),
    ])


def attribution_lines(attribution: PnlAttribution) -> list[tuple[str, float]]:
    """Each part in words with its USDT, then the remainder: the table's rows and the chart's bars."""
    lines = []
    for part in attribution.parts:
        if part.cause == Cause.UNTRADED:
            other = attribution.second if part.traded_by == attribution.first else attribution.first
            label = f"signals only {part.traded_by} traded ({part.signals}; {other}: {part.other_reason})"
        else:
            label = CAUSE_WORDS[part.cause]
        lines.append((label, part.usdt))
    return [*lines, (REMAINDER, attribution.remainder)]


def attribution_section(analysis: Analysis) -> str:
    found = [p.attribution for p in analysis.pairs if p.attribution is not None]
    if not found:
        return ""
    parts = ["## Where the net results differ"]
    for attribution in found:
        parts += [
            f"Net PnL of {attribution.first} minus {attribution.second}: **{fmt(attribution.difference)} USDT**, "
            "split by cause (definitions in the appendix).",
            table(["cause", "USDT"], [[label, fmt(usdt, 6 if label == REMAINDER else 2)] for label, usdt in attribution_lines(attribution)]),
        ]
    parts.append(f"![attribution](charts/{ATTRIBUTION_CHART})")
    return "\n\n".join(parts)


DEFINITIONS = [
    ("venue model", "matched (default): every venue charges the run's fee (`--fee-bps`, default 10; a variant may set its own) on every fill; native: each platform's own out-of-box fees (the Venues table states each). The reference replay of each column charges that column's fee."),
    ("arrival price", "the mid of the first quote at or after a signal's time: when the shared decision can first be made, the same for every column."),
    ("execution cost", "per fill, side × (fill price − arrival mid) / arrival mid + fee / (quantity × arrival mid), in basis points; = half-spread (side × (fill price − mid in force at the fill)) + delay (side × (mid at the fill − arrival mid)) + fee. Fills without a signal (the close at stop) are left out."),
    ("fill on the last quote before a gap", f"a fill whose quote in force is older than {STALE_QUOTE_SPACINGS} of the quote file's intervals: a closed market, where a platform acting on its clock's ticks can still fill and one acting on quote arrivals cannot; counted in the TCA table and named in the causes."),
    ("closed market (risk gate)", "the shared risk gate sends no order against a quote older than `risk.max_quote_age_s` (default 1 h), on every platform; only a platform that acts between quotes meets one. Its refusals (`stale_quote`) are counted in the causes."),
    ("PnL attribution", "for each column against the baseline, the difference of the two net PnL figures as a sum over signals of signed qty × (last mark − price) − fee; for a signal both traded, sizing and rounding = (x₁ − x₂)(last mark − p₁), fill timing = x₂(p₂ − p₁), fees = f₂ − f₁; a signal one column alone traded counts whole, under the other's last code for it; the remainder is what the parts leave of the difference."),
]
