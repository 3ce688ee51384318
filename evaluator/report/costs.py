"""The report's venue, execution-cost and attribution sections: what each venue charged, what each
column's fills cost against the shared arrival price, and where each column's net result parts from
the baseline's."""

from __future__ import annotations

from evaluator.analysis.metrics.attribution import Part, PnlAttribution
from evaluator.analysis.metrics.execution_cost import COMPONENTS, GAP_SPACINGS
from evaluator.analysis.metrics.fill_delay import AGREEMENT_S, FillDelay
from evaluator.analysis.pipeline import Analysis
from evaluator.report.figures import table
from evaluator.report.numbers import fmt

ATTRIBUTION_CHART = "attribution.png"
PART_WORDS = {
    Part.HOLDING: "holding (different positions, each interval's move)",
    Part.DECISION_PRICE: "decision-time price (signal → order)",
    Part.FILL_DELAY_PRICE: "fill-delay price (order → fill)",
    Part.SPREAD: "spread (fill price against the mid)",
    Part.FEES: "fees",
}
PART_DEFINITIONS = {
    Part.HOLDING: "Σ over the intervals of a grid of the 1-minute marks and every signal time of (the column's "
                  "position) × (the mid's move over the interval), each fill counted from its signal's own time (a "
                  "close no signal asked for, a barrier's, the kill switch's or the one at the end, from its decision, and one "
                  "by an order resting at the venue from its fill): "
                  "between two columns, holding different positions (another quantity, a signal one of them alone "
                  "traded) for as long as they differ, priced by each interval's own move.",
    Part.DECISION_PRICE: "Σ side × qty × (mid at the signal's time − mid at its order's market time): what deciding "
                         "later than the signal moved the price the position was taken at.",
    Part.FILL_DELAY_PRICE: "Σ side × qty × (mid at the order's market time − mid at the fill): what the venue's delay "
                           "between order and fill moved it.",
    Part.SPREAD: "Σ side × qty × (mid at the fill − fill price): the half-spread paid, and any price away from the "
                 "quote in force.",
    Part.FEES: "− Σ fee.",
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
    lead = ("Fill delay: as set for each column, as its venue gives it, and as measured from each column's journal (market time from an order to "
            "its fill, over the fills of signals).")
    if off:
        return (f"{lead} On {', '.join(off)} the measured order → fill is not its venue's fill delay on every fill (more "
                f"than {MATCH_MS} ms apart), so the venues do not fill alike: read its execution figures with that in mind.")
    if any(d.as_set for d in delays.values()):
        return (f"{lead} Every measured fill came its venue's fill delay after its order, within {MATCH_MS} ms (the delay set, "
                "or, where a venue cannot fill that soon, its own: live, a platform that acts on its clock's ticks fills one "
                "tick after the order at the earliest; the table gives both).")
    return f"{lead} No column has a fill to measure."


def venues_section(analysis: Analysis) -> str:
    spec = analysis.run.spec
    columns = analysis.figures.columns
    rows = [[name, run_column.venue.get("model", "n/a"), str(run_column.venue.get("fees", "n/a")),
             fmt(run_column.set_fill_delay_s, 3), fmt(columns[name].fill_delay_s, 3), measured_words(columns[name].measured_fill_delay)]
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
    header = ["column", "model", "fees", "fill delay set (s)", "its venue's fill delay (s)",
              "measured order → fill (s): median (shortest–longest)"]
    delays = {name: m.measured_fill_delay for name, m in columns.items()}
    return "\n\n".join(["## Venues", lead, fill_rule_words(delays), table(header, rows)])


def execution_cost_section(analysis: Analysis) -> str:
    names = analysis.names
    costs = {n: m.execution_cost for n, m in analysis.figures.columns.items()}
    rows = [
        ["fills measured (left out: no signal, or no arrival at or before the fill)",
         *(f"{fmt(c.fills)} ({fmt(c.unmeasured)})" for c in costs.values())],
        ["cost per fill, mean / median / p95 (bps)",
         *(f"{fmt(c.total.mean_bps)} / {fmt(c.total.median_bps)} / {fmt(c.total.p95_bps)}" for c in costs.values())],
        ["total cost (USDT)", *(fmt(c.total.total_usdt) for c in costs.values())],
        [f"fills into a closed market (the next quote more than {fmt(GAP_SPACINGS, 1)} spacings after the fill's)",
         *(fmt(None if c.gap_fills is None else c.gap_fills.count) for c in costs.values())],
        *[[f"{COMPONENT_WORDS[k]}: mean bps, total USDT",
           *(f"{fmt(c.components[k].mean_bps)}, {fmt(c.components[k].total_usdt)}" for c in costs.values())] for k in COMPONENTS],
    ]
    return "\n\n".join([
        "## Execution cost (TCA)",
        "Each fill against the arrival price of its signal (the mid in force at the signal's time, the same for every "
        "column, never after the fill: see the appendix), in basis points; positive is a cost.",
        table(["figure", *names], rows),
    ])


def attribution_lines(attribution: PnlAttribution) -> list[tuple[str, float]]:
    """Each part of the difference in words with its USDT, then the remainder: the chart's bars."""
    return [*((PART_WORDS[part], usdt) for part, usdt in attribution.parts.items()), (REMAINDER, attribution.remainder)]


def identity_words(attribution: PnlAttribution) -> str:
    if attribution.identity_holds:
        return (f"The parts add up to the difference: the remainder, {fmt(attribution.remainder, 6)} USDT, is within the "
                f"{fmt(attribution.tolerance, 6)} USDT float noise explains.")
    return (f"**The parts do not add up to the difference**: a remainder of {fmt(attribution.remainder, 6)} USDT, beyond "
            f"the {fmt(attribution.tolerance, 6)} USDT float noise explains. A fill is missing from one side of the "
            "figures, or a part is priced from another mid than the PnL: do not read the parts above.")


def one_sided_words(attribution: PnlAttribution) -> str:
    if not attribution.one_sided:
        return f"Every signal one of {attribution.first} and {attribution.second} traded, the other traded too."
    other = {attribution.first: attribution.second, attribution.second: attribution.first}
    told = "; ".join(f"{fmt(s.signals)} only {s.traded_by} traded ({other[s.traded_by]}'s account: `{s.other_code}`)"
                     for s in attribution.one_sided)
    return f"Signals one column alone traded: {told}. They count in holding, for as long as the positions differ."


def attribution_table(attribution: PnlAttribution) -> str:
    a, b = attribution.columns
    rows = [[PART_WORDS[part], fmt(a.parts[part]), fmt(b.parts[part]), fmt(usdt)] for part, usdt in attribution.parts.items()]
    rows += [["net PnL (trading results)", fmt(a.pnl), fmt(b.pnl), fmt(attribution.difference)],
             [f"{REMAINDER} (net PnL − the parts)", *(fmt(r, 6) for r in (a.remainder, b.remainder, attribution.remainder))]]
    return table(["part (USDT)", a.name, b.name, f"{a.name} − {b.name}"], rows)


def attribution_section(analysis: Analysis) -> str:
    found = [p.attribution for p in analysis.pairs if p.attribution is not None]
    if not found:
        return ""
    parts = ["## Where the net results differ"]
    for attribution in found:
        parts += [
            f"Net PnL of {attribution.first} minus {attribution.second}: **{fmt(attribution.difference)} USDT**, split "
            "over time into the parts below; each column's own split beside it (a positive part adds to its PnL).",
            attribution_table(attribution),
            identity_words(attribution),
            one_sided_words(attribution),
        ]
    definitions = [f"- **{PART_WORDS[part]}**: {words}" for part, words in PART_DEFINITIONS.items()]
    parts += [
        "What each part is, per fill of side ±1 and quantity qty, with mid(t) the mid of the quote in force at t (before "
        "the first quote, the first), the same function in every part; the parts of a difference are the first column's "
        "less the second's:",
        "\n".join([*definitions, f"- **{REMAINDER}**: the difference of the two net PnL figures, as the trading results "
                    "computed them from the fills and the last mark, less the parts: zero but for float noise when every "
                    "part is right; a lost fill or a part priced from another mid leaves it."]),
        f"![attribution](charts/{ATTRIBUTION_CHART})",
    ]
    return "\n\n".join(parts)


DEFINITIONS = [
    ("venue model", "matched (default): every venue charges the run's fee (`--fee-bps`, default 10; a variant may set its own) on every fill; native: each platform's own out-of-box fees (the Venues table states each). The reference replay of each column charges that column's fee."),
    ("arrival price", "the mid of the quote in force at a signal's time (a quote is in force until its successor is due, one spacing of the quote file later), or, when none is, of the first quote at or after it if that comes within one spacing: when the shared decision can first be made, the same for every column. A fill with no such arrival, or whose arrival quote comes after it, is left out (unmeasured), never priced against a later market."),
    ("execution cost", "per fill, side × (fill price − arrival mid) / arrival mid + fee / (quantity × arrival mid), in basis points; = half-spread (side × (fill price − mid in force at the fill)) + delay (side × (mid at the fill − arrival mid)) + fee. Fills without a signal (a barrier's or the kill switch's close, the close at the end) are left out."),
    ("fill into a closed market", f"a fill whose quote (the one in force at the fill) is followed by the next quote more than {fmt(GAP_SPACINGS, 1)} of the quote file's spacings later, made once that quote's successor was due (the quote one spacing old or older): on the last quote before a gap, where a platform acting on its clock's ticks can still fill and one acting on quote arrivals cannot; counted in the TCA table and named, with when the market reopened, in the causes."),
    ("closed market (risk gate)", "the shared risk gate sends no order against a quote as old as the quote-age limit or older, on every platform: by default one spacing of the quote file (a quote is in force until its successor is due), or `--max-quote-age` / `risk.max_quote_age_s`; the Inputs section states the limit and where it came from. Only a platform that acts between quotes meets such a quote. Its refusals (`stale_quote`) are counted in the causes."),
    ("PnL attribution", "for each column against the baseline, the difference of the two net PnL figures split over time into holding, decision-time price, fill-delay price, spread and fees (each defined in its section); the remainder is what the parts leave of the difference: an identity check, not zero by construction."),
]
