"""``report.md``: what was run, the verdict, one section per category, the seed 000 success criteria,
the charts and the definitions of every metric, for any number of columns (platforms and named
variants of them). It renders what the analysis returned, every sentence built here."""

from __future__ import annotations

import math

from evaluator.analysis.faults import fault_outcome
from evaluator.analysis.metrics.accuracy import QTY_TOLERANCE
from evaluator.analysis.metrics.accounts import NEVER_IN_FORCE, UNFILLED, Account
from evaluator.analysis.metrics.agreement import ROUNDING_STEPS, DifferenceCause
from evaluator.analysis.metrics.memory import MemoryGrowth
from evaluator.analysis.metrics.stages import stage_names
from evaluator.analysis.pipeline import Analysis
from evaluator.analysis.confidence import MIN_CPU_SAMPLES, MIN_UNITS, Difference, Judgement
from evaluator.analysis.faults import FaultOutcome
from evaluator.report.causes import cause_lines
from evaluator.report.costs import DEFINITIONS, attribution_section, execution_cost_section, venues_section
from evaluator.report.criteria import criteria_section, settle_words
from evaluator.report.exits import exits_section
from evaluator.report.figures import STAGES_CHART, table
from evaluator.report.numbers import fmt, level_words, percent
from evaluator.report.platform_figures import platform_figures_section
from evaluator.report.sensitivity import sensitivity_lines, sensitivity_section
from evaluator.report.transport import transport_section
from evaluator.report.verdict import (
    FIGURE_WORDS,
    FORMULAS,
    RESAMPLING_WORDS,
    UNSCORED_WORDS,
    category_words,
    confidence_words,
    doubt_words,
    has_interval,
    judgement_words,
    reasons_and_caveats,
    recommendation_words,
)
from evaluator.settings import EvaluationSettings
from shared_signals.bar import duration_words
from shared_signals.config import MS_PER_SECOND, NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import REBUILT_BY_REPORT
from shared_signals.contract.record import ColumnRecord

MAX_LISTED_DIFFERENCES = 15
STOPPED_EARLY_NOTE = "> Stopped early by the user (Ctrl-C): figures cover what was collected."


def per_column(analysis: Analysis, rows: list[tuple[str, callable]]) -> str:
    names = analysis.names
    columns = analysis.figures.columns
    return table(["figure", *names], [[label, *(get(columns[n]) for n in names)] for label, get in rows])


SOURCE_WORDS = {
    "default": "the documented default",
    "flag": "set on the command line",
    "config_file": "from a config file",
    "signal_bar": "the signal file's own bar, read off its timestamps",
    "quote_spacing": "one spacing of the quote file, read off its timestamps: a quote is in force until its successor is due",
    "variant": "the variant's",
}
"""How the report says where a setting came from (``RunSpec.tolerance_from``, ``max_quote_age_from``, a
column's settings)."""
ACCOUNT_WORDS = {UNFILLED: "order submitted, no fill before the run ended", NEVER_IN_FORCE: "signal never in force on this column"}


def clock_words(analysis: Analysis, name: str) -> str:
    """What a column's replay clock did, from its run's result (nothing for a live run)."""
    details = (analysis.run.columns[name].result or {}).get("details") or {}
    if "clock_steps" not in details:
        return ""
    fills = details.get("clock_fill_steps", 0)
    ticks = (f"stepped {fmt(details['clock_steps'] - fills)} of the {fmt(details['clock_ticks'])} ticks the market time spans "
             "(only ticks where a quote, signal or expiry was due, and none while a market order waited for its fill: "
             "what came meanwhile is taken at the fill's step)")
    return f"; {details['clock']} clock: {ticks}" + (f", and {fmt(fills)} time(s) at a market order's fill time" if fills else "")


def column_words(analysis: Analysis, column: ColumnRecord) -> str:
    """A column's platform, its clock, and the settings chosen for it."""
    fills = ("one tick after it is placed at the earliest" if analysis.run.spec.mode == "live" else
             "its venue's fill delay after it is placed, as on every venue")
    clock = ("acts on quote arrivals" if column.acts_on == "quotes" else
             f"acts on its clock's ticks of {duration_words(round(column.tick_s * NANOS_PER_SECOND))} (a market order fills "
             f"{fills}){clock_words(analysis, column.name)}")
    chosen = "; ".join(f"{s.key}={s.value} ({SOURCE_WORDS[s.source]})" for s in column.changed) or "defaults"
    exits = (f"; with exits on, closes by {column.closes_by}" if column.closes_by and analysis.run.spec.core.exits.enabled
             else "")
    return f"{column.label}: {clock}{exits}; settings: {chosen}"


def inputs_section(analysis: Analysis) -> str:
    record = analysis.run.record
    files = [[role, f"`{d.path}`", fmt(d.bytes), f"`{d.sha256[:16]}…`", fmt(d.rows)]
             for role, d in (("quotes", record.quotes), ("signals", record.signals))]
    spec = analysis.run.spec
    settings = [
        ["mode", spec.mode], ["speed", "as fast as possible" if spec.speed is None else f"{spec.speed:g}x"],
        ["instrument", spec.instrument],
        ["signal tolerance", f"{duration_words(spec.core.loader.tolerance_ns)} ({SOURCE_WORDS[spec.tolerance_from]})"],
        ["quote-age limit (no order against an older quote: a closed market)",
         f"{duration_words(round(spec.core.risk.max_quote_age_s * NANOS_PER_SECOND))} ({SOURCE_WORDS[spec.max_quote_age_from]})"],
        ["market time", f"{record.quotes.first} → {record.quotes.last}"],
        *([["signals within the quotes' span", f"{fmt(record.overlap.in_quote_span)} of {fmt(record.overlap.signals)}"]]
          if record.overlap.partial else []),
        ["baseline (every pairwise figure is against it)", record.baseline],
    ]
    harness = record.harness
    cost = ("" if harness is None else
            f"Supervisor's own CPU: {fmt(harness.supervisor_cpu_pct)}% of one core in all, of which resource sampling "
            f"{fmt(harness.sampling_cpu_pct, 3)}%; its RSS went from {fmt(harness.supervisor_rss_start_mb)} MB to "
            f"{fmt(harness.supervisor_rss_end_mb)} MB during the run.")
    return "\n\n".join([
        "## Inputs",
        table(["input", "file", "bytes", "sha256", "rows"], files),
        table(["setting", "value"], [[k, str(v)] for k, v in settings]),
        table(["column", "what it runs"], [[c.name, column_words(analysis, c)] for c in record.columns]),
        "Versions: " + ", ".join(f"{k} {v}" for k, v in record.versions.items()),
        f"Machine: {record.machine.cpus} CPUs, {record.machine.platform}. {cost}".rstrip(),
    ])


def summary_section(analysis: Analysis, settings: EvaluationSettings) -> str:
    verdict = analysis.verdict
    names = analysis.names
    rows = [
        [category_words(c.category), fmt(settings.weights.get(c.category, 0.0)), *(fmt(c.scores[n]) for n in names), c.winner]
        for c in verdict.categories
    ]
    weights = settings.weights
    shown, total = (sum(weights.get(c, 0.0) for c in cats) for cats in ([c.category for c in verdict.categories], weights))
    weight = "1.00" if shown == total else f"{fmt(shown)} → 1.00"
    rows.append(["**overall**", weight, *(f"**{fmt(verdict.overall[n])}**" for n in names), f"**{verdict.recommended}**"])
    parts = ["## Summary", table(["category", "weight", *names, "winner"], rows)]
    if verdict.unscored:
        left = "; ".join(f"{category_words(c)}: {UNSCORED_WORDS[why]}" for c, why in verdict.unscored.items())
        parts.append(f"Not scored, and left out of the overall (the weights shown, {fmt(shown)}, scaled to 1): {left}.")
    parts.append(f"### Recommendation: **{recommendation_words(verdict)}**")
    confidence = confidence_words(verdict)
    if confidence:
        parts.append(f"**Confidence.** {confidence}")
    reasons, caveats = reasons_and_caveats(verdict, analysis.figures, analysis.pairs, settings)
    if reasons:
        parts.append("Why:\n" + "\n".join(f"- {r}" for r in reasons))
    if caveats:
        parts.append("Where another column is better, or the data is incomplete:\n" + "\n".join(f"- {c}" for c in caveats))
    if verdict.differences:
        parts.append(differences_part(verdict.differences))
    return "\n\n".join(parts)


def differences_part(differences: list[Difference]) -> str:
    """Each difference the recommendation uses, per pair, with its interval and what it settles."""
    level = level_words(differences[0].level)

    def settles(d: Difference) -> str:
        if d.settled:
            return f"{d.better} ({category_words(d.category)})" if d.category else f"{d.better} (shown, not scored)"
        if d.judgement in (Judgement.UNSCORED, Judgement.UNMEASURED):
            return judgement_words(d)
        return "tie: within noise" if d.within_noise else "tie: immaterial (within the threshold)"

    rows = [[f"{d.first} − {d.second}", FIGURE_WORDS[d.figure], d.unit, fmt(d.values[0], 3), fmt(d.values[1], 3),
             fmt(d.difference, 3), f"[{fmt(d.low, 3)}, {fmt(d.high, 3)}]" if has_interval(d) else "n/a", fmt(d.threshold, 3),
             RESAMPLING_WORDS[d.resampling] + (f" ({fmt(d.units[0])}, {fmt(d.units[1])})" if d.units else ""),
             settles(d)] for d in differences]
    return "### The differences behind it\n\n" + table(
        ["pair", "figure", "unit", "first", "second", "first − second", f"{level} interval", "threshold (±)",
         "resampled (units)", "settles"], rows)


def latency_section(analysis: Analysis) -> str:
    rows = []
    for label, which in (("signal → order", "latency_to_order"), ("signal → fill", "latency_to_fill")):
        for q in ("count", "p50_ms", "p95_ms", "p99_ms", "max_ms"):
            rows.append((f"{label} {q.replace('_ms', '')}" + ("" if q == "count" else " (ms)"), lambda m, w=which, q=q: fmt(getattr(getattr(m, w), q))))
    market = []
    for label, which in (("signal → order", "market_to_order"), ("signal → fill", "market_to_fill")):
        for q in ("p50_ms", "p99_ms", "max_ms"):
            market.append((f"{label} {q.replace('_ms', '')} (s)", lambda m, w=which, q=q: fmt(getattr(getattr(m, w), q) / MS_PER_SECOND, 3)))
    mode = analysis.run.spec.mode
    scored_at = "delay the latency is scored at (s" + ("; real time, scheduled → fill p50)" if mode == "live" else ")")
    market += [
        (scored_at, lambda m: fmt(m.latency_score_delay_s, 3)),
        ("latency cost: alpha decay over it (bps)", lambda m: fmt(m.latency_cost_bps, 3)),
        ("latency risk: expected absolute mid move over it (bps, not a cost)", lambda m: fmt(m.latency_risk_bps, 3)),
    ]
    clock = "wall clock" if mode == "live" else "wall clock inside the replay"
    real = [(f"scheduled → fill {q.replace('_ms', '')}" + ("" if q == "count" else " (ms)"),
             lambda m, q=q: fmt(getattr(m.real_to_fill, q))) for q in ("count", "p50_ms", "p95_ms", "p99_ms", "max_ms")]
    live = [] if mode != "live" else [
        "Real time, on the wall clock, from the signal's scheduled availability to its fill, the same boundary on every "
        "column: a provider's publish where a provider feeds the platform (its delivery is part of that platform's path), "
        "else the wall time at which the signal's market time was shown. What a live platform's delay costs is judged on "
        "this, whatever the run's speed.",
        per_column(analysis, real),
    ]
    return "\n\n".join([
        "## Latency", *live,
        f"Processing time, on the {clock}, from the strategy's receipt of the signal (the same record on every column; "
        "a provider's delivery before it is in the transport section):",
        per_column(analysis, rows), "![latency CDF](charts/latency_cdf.png)",
        "Market time, from the signal's own time: what moves the price a fill gets.",
        per_column(analysis, market),
        stages_part(analysis, clock),
    ])


def stages_part(analysis: Analysis, clock: str) -> str:
    """Where a signal's wall time goes, stage by stage; a stage a platform does not pass shows "—"."""
    names = analysis.names
    columns = analysis.figures.columns
    found = {n: m.stages.by_name for n, m in columns.items()}
    order = stage_names([m.stages for m in columns.values()])
    rows = [[stage, *(f"{fmt(found[n][stage].p50_ms, 3)} / {fmt(found[n][stage].p99_ms, 3)} ({found[n][stage].count})"
                      if stage in found[n] else "—" for n in names)] for stage in order]
    late = [f"{n}: {', '.join(f'{k} after the next milestone for {v} signal(s)' for k, v in m.stages.reported_late.items())}"
            for n, m in columns.items() if m.stages.reported_late]
    parts = [
        f"### Stages on the {clock}",
        "From the provider's hand-off to the fill, p50 / p99 ms (signals): each stage runs to the next milestone the "
        "signal has (no provider: no \"published\"; a venue that does not acknowledge market orders: \"submitted → filled\").",
        table(["stage", *names], rows) if rows else "No signal led to an order.",
        f"![stages](charts/{STAGES_CHART})",
    ]
    if late:
        parts.append("Reported after a later milestone, and left out of those signals' stages: " + "; ".join(late) + ".")
    return "\n\n".join(parts)


def accuracy_section(analysis: Analysis) -> str:
    rows = [
        ("signals it sent orders for", lambda m: fmt(m.accuracy.decided)),
        ("filled as decided (scored)", lambda m: fmt(m.accuracy.filled_as_decided)),
        ("share filled as decided", lambda m: percent(m.accuracy.decided_share)),
        ("actionable signals (reference)", lambda m: fmt(m.accuracy.actionable)),
        ("traded as the reference", lambda m: fmt(m.accuracy.executed_as_intended)),
        ("share traded as the reference (decision time included)", lambda m: percent(m.accuracy.share)),
        ("position path matches", lambda m: f"{m.accuracy.position_matches}/{m.accuracy.position_checks}"),
    ]
    parts = ["## Execution accuracy", per_column(analysis, rows)]
    for pair in analysis.pairs:
        parts.append(agreement_part(pair.agreement))
    return "\n\n".join(parts)


def account_words(account: Account) -> str:
    if account.kind == EventKind.DECISION:
        return f"decided {account.code}: {account.reason}"
    if account.kind in (EventKind.SIGNAL_SKIPPED, EventKind.ORDER_REJECTED):
        return f"{account.kind} {account.code}: {account.reason}"
    return ACCOUNT_WORDS.get(account.code, account.reason)


def difference_detail(row, first: str, second: str) -> str:
    """A difference between two columns' trades of one signal, in words."""
    if row.cause == DifferenceCause.NOT_TRADED:
        return f"{row.untraded_by}: {account_words(Account(row.account_kind, row.account_code, row.account_reason))}"
    detail = f"{first} {row.qty_first:+.5f}, {second} {row.qty_second:+.5f}"
    if row.cause == DifferenceCause.DECISION_PRICE:
        return f"{detail}; decided at {row.price_first:g} and {row.price_second:g}"
    return detail


def agreement_part(pair) -> str:
    parts = [f"### Agreement: {pair.first} and {pair.second}"]
    gap = float(pair.fill_delay_s.median()) if len(pair.fill_delay_s) else float("nan")
    parts.append(
        f"{pair.agreeing} of {pair.compared} traded signals agree trade by trade ({percent(pair.share)}). "
        f"On agreeing trades {pair.second} filled a median {fmt(gap)} s of market time after {pair.first} "
        "(the venues' fill delays, and when each platform acted on the signal: on a quote or on its clock's tick)."
    )
    causes = pair.causes()
    if causes:
        parts.append(table(["cause", "signals"], [[k, str(v)] for k, v in sorted(causes.items())]))
        listed = pair.differences.head(MAX_LISTED_DIFFERENCES)
        if len(listed) < len(pair.differences):
            parts.append(f"The first {len(listed)} of {len(pair.differences)} differences; `metrics.json` lists them all.")
        parts.append(table(["signal", "cause", "detail"], [[f"`{r.signal_id}`", r.cause, difference_detail(r, pair.first, pair.second)]
                                                           for r in listed.itertuples()]))
    return "\n\n".join(parts)


def trading_section(analysis: Analysis) -> str:
    ideal = analysis.figures.ideal_trading
    rows = [
        ("PnL (USDT)", lambda m: fmt(m.trading.pnl)),
        ("return (%)", lambda m: fmt(m.trading.return_pct, 3)),
        ("gross return before fees (%)", lambda m: fmt(m.trading.gross_return_pct, 4)),
        ("reference gross return, its venue (%)", lambda m: fmt(m.reference_trading.gross_return_pct, 4)),
        ("ideal reference gross return (%)", lambda m: fmt(ideal.gross_return_pct, 4) if ideal else "n/a"),
        ("Sharpe (hourly, annualised)", lambda m: fmt(m.trading.sharpe)),
        ("max drawdown (%)", lambda m: fmt(m.trading.max_drawdown_pct, 3)),
        ("trades (filled orders)", lambda m: fmt(m.trading.trades)),
        ("fill events", lambda m: fmt(m.trading.fill_events)),
        ("fees (USDT)", lambda m: fmt(m.trading.fees)),
        ("volume (USDT)", lambda m: fmt(m.trading.volume)),
    ]
    why = "Why the results differ:\n" + "\n".join(f"- {line}" for line in cause_lines(analysis.causes))
    return "\n\n".join(["## Trading results", per_column(analysis, rows), why, "![equity curves](charts/equity.png)"])


def counts(by_kind: dict[str, int]) -> str:
    """A journal code count as the report shows it: ``stale 2, duplicate 1``, or ``0``."""
    return ", ".join(f"{kind} {n}" for kind, n in by_kind.items()) or "0"


def stability_section(analysis: Analysis) -> str:
    rows = [
        ("exit code", lambda m: fmt(m.stability.exit_code)),
        ("crashed", lambda m: fmt(m.stability.crashed)),
        ("stopped by the user", lambda m: fmt(m.stability.stopped_by_user)),
        ("run completed", lambda m: fmt(m.stability.completed)),
        ("errors", lambda m: fmt(m.stability.errors)),
        ("signals skipped, by kind", lambda m: counts(m.stability.skipped)),
        ("risk / venue rejections", lambda m: fmt(m.stability.rejections)),
        ("rejections, by kind", lambda m: counts(m.stability.rejections_by_kind)),
        ("error events, by kind (the user's stop included)", lambda m: counts(m.stability.errors_by_kind)),
        ("transport notices, by kind", lambda m: counts(m.stability.notices_by_kind)),
        ("heartbeats", lambda m: fmt(m.stability.heartbeats)),
        ("heartbeat gaps", lambda m: "n/a (run shorter than one gap)" if m.stability.heartbeat_gaps is None else fmt(m.stability.heartbeat_gaps)),
        ("longest heartbeat gap (s)", lambda m: fmt(m.stability.longest_heartbeat_gap_s)),
        ("torn journal lines", lambda m: fmt(m.stability.torn_lines)),
    ]
    parts = ["## Stability", per_column(analysis, rows)]
    for name, m in analysis.figures.columns.items():
        if m.stability.crashed:
            run_column = analysis.run.columns[name]
            when = run_column.exit.get("ended_ns") if run_column.exit else None
            parts.append(
                f"**{name} crashed** (exit code {m.stability.exit_code}) {fmt((when - run_column.exit['started_ns']) / NANOS_PER_SECOND) + ' s after start' if when else ''}; "
                f"its journal up to the crash was read ({len(run_column.events)} events). See `{name}/process.log`."
            )
        for sample in m.stability.error_samples:
            parts.append(f"- {name} error: {sample}")
    return "\n\n".join(parts)


def slope_cells(growth: MemoryGrowth) -> list[str]:
    """Slope per market hour, its interval, and the slope per wall hour."""
    market = growth.per_market_hour
    bounds = "n/a" if math.isnan(market.low) else f"[{fmt(market.low, 3)}, {fmt(market.high, 3)}]"
    return [fmt(market.slope, 3), bounds, fmt(growth.per_wall_hour.slope)]


def memory_verdict_words(growth: MemoryGrowth) -> str:
    settle = settle_words(growth)
    return f"{growth.verdict} ({settle})" if settle else str(growth.verdict)


def resources_section(analysis: Analysis, settings: EvaluationSettings) -> str:
    rows = [
        ("samples", lambda m: fmt(m.resources.samples)),
        ("mean CPU (% of one core)", lambda m: fmt(m.resources.mean_cpu_pct)),
        ("CPU seconds (readings)", lambda m: f"{fmt(m.resources.cpu_s)} ({fmt(m.resources.cpu_readings)})"),
        ("events handled (quotes + signals)", lambda m: fmt(m.resources.events)),
        ("CPU seconds per 1,000 events", lambda m: fmt(m.resources.cpu_s_per_kevent, 4)),
        ("peak CPU (% of one core)", lambda m: fmt(m.resources.peak_cpu_pct)),
        ("peak RSS (MB)", lambda m: fmt(m.resources.peak_rss_mb)),
        ("RSS slope (MB per market hour)", lambda m: slope_cells(m.memory)[0]),
        (f"its {level_words(settings.confidence.level)} interval", lambda m: slope_cells(m.memory)[1]),
        ("RSS slope (MB per wall hour)", lambda m: slope_cells(m.memory)[2]),
        ("memory verdict (threshold, MB per market hour)", lambda m: f"{memory_verdict_words(m.memory)} ({fmt(m.memory.threshold_mb_per_h)})"),
        ("peak threads", lambda m: fmt(m.resources.peak_threads)),
        ("peak open files", lambda m: fmt(m.resources.peak_open_files)),
    ]
    cpus = analysis.run.record.machine.cpus
    count = len(analysis.names)
    together = (
        f"All {count} columns ran at the same time on this machine ({fmt(cpus)} CPUs), each measured "
        "as its own process tree: they shared the cores. CPU figures leave out each run's first sample (psutil's "
        "first reading is always 0)."
        if count > 1 else "CPU figures leave out the first sample (psutil's first reading is always 0)."
    )
    return "\n\n".join(["## Resources", together, per_column(analysis, rows), "![RSS and CPU](charts/resources.png)"])


def scalability_section(analysis: Analysis) -> str:
    rows = [
        ("quotes processed", lambda m: fmt(m.scalability.quotes)),
        ("wall time (s)", lambda m: fmt(m.scalability.wall_s)),
        ("quotes per second", lambda m: fmt(m.scalability.quotes_per_s, 0)),
        ("journal events per second", lambda m: fmt(m.scalability.events_per_s, 0)),
        ("signals per minute sustained", lambda m: fmt(m.scalability.signals_per_min)),
    ]
    note = (
        "Several instruments at once: `poc-eval scale` runs each column with one process per instrument "
        "(BTCUSDT, ETHUSDT, SOLUSDT by default) and writes `scale_report.md` with the combined throughput, memory and CPU."
    )
    return "\n\n".join(["## Scalability", per_column(analysis, rows), note])


def complexity_section(analysis: Analysis) -> str:
    def of(get):
        return lambda m: "n/a" if m.complexity is None else get(m.complexity)

    rows = [
        ("package", of(lambda c: f"`{c.package}`")),
        ("files", of(lambda c: fmt(c.files))),
        ("source lines (SLOC)", of(lambda c: fmt(c.sloc))),
        ("mean cyclomatic complexity", of(lambda c: fmt(c.cc_mean))),
        ("max cyclomatic complexity", of(lambda c: fmt(c.cc_max))),
        ("platform names imported", of(lambda c: fmt(c.platform_names))),
        ("platform call sites", of(lambda c: fmt(c.platform_calls))),
        ("config knobs", of(lambda c: fmt(c.config_knobs))),
        ("setup steps", of(lambda c: fmt(len(c.setup_steps)))),
        ("install time of the platform (s)", of(lambda c: fmt(c.install_s, 0))),
    ]
    steps = "\n".join(f"- **{platform}**: " + "; ".join(c.setup_steps) for platform, c in analysis.run.record.complexity.items())
    return "\n\n".join(["## Integration complexity",
                        "Measured with radon on each platform's POC package when the run was made (the shared core is "
                        "excluded: every column uses it); a variant has its platform's figures.",
                        per_column(analysis, rows), "Setup steps:\n" + steps])


def soak_section(analysis: Analysis, settings: EvaluationSettings) -> str:
    soaked = {name: m.soak for name, m in analysis.figures.columns.items() if m.soak is not None}
    record = analysis.run.record
    if not soaked or record.soak is None:
        return ""
    soak = record.soak
    threshold = settings.soak.max_rss_slope_mb_per_h
    wall_s = record.harness.wall_s if record.harness is not None else None
    parts = [
        "## Soak",
        f"Live paper run of {fmt(wall_s, 0)} s wall time at {analysis.run.spec.speed or 'max'}x "
        f"({fmt(soak.market_s, 0)} s of market time; inputs looped {soak.copies} time(s) with continuing timestamps).",
        table(
            [
                "column", f"RSS slope after the first {fmt(settings.soak.warmup_s, 0)} s (MB per market hour)",
                f"{level_words(settings.confidence.level)} interval", "per wall hour",
                f"verdict (threshold {fmt(threshold)} MB per market hour)",
            ],
            [[n, *slope_cells(analysis.figures.columns[n].memory), memory_verdict_words(analysis.figures.columns[n].memory)] for n in soaked],
        ),
        "![soak memory and CPU](charts/resources.png)",
    ]
    for name, figures in soaked.items():
        rows = [[str(r.hour), str(r.scheduled), str(r.received), str(r.acted_on), str(r.errors), str(r.heartbeat_gaps)] for r in figures.hourly.itertuples()]
        parts.append(f"### {name}, per hour\n\n" + table(["hour", "signals scheduled", "received", "acted on", "errors", "heartbeat gaps"], rows))
    if record.faults:
        rows = [[f.name, f.target, fmt(f.at_s), f.action, outcome_words(fault_outcome(analysis.run, analysis.figures, f))]
                for f in record.faults]
        parts.append("### Injected faults\n\n" + table(["fault", "target", "at (s)", "what was done", "outcome in the journals"], rows))
    return "\n\n".join(parts)


def outcome_words(outcome: FaultOutcome) -> str:
    """What the journals show after a fault, column by column."""
    parts = []
    for c in outcome.columns:
        if c.killed:
            parts.append(f"{c.column} exited {c.exit_code}; {c.events} journal events readable")
            continue
        state = "ran on" if c.exit_code == 0 else f"exit {c.exit_code if c.exit_code is not None else 'unknown'}"
        skips = ", ".join(f"{k} {v}" for k, v in c.skipped.items()) or "none"
        scope = "after the fault" if c.after_fault else "over the run"
        line = f"{c.column} {state}: {scope} {c.orders} orders, {c.errors} errors, skipped signals: {skips}"
        if c.held is not None:
            line += f"; {c.held} signals published while the broker was away, {c.held_received} of them delivered"
        parts.append(line)
    return "; ".join(parts)


def future_section(analysis: Analysis, settings: EvaluationSettings) -> str:
    names = analysis.names
    platforms = {n: analysis.figures.columns[n].platform for n in names}
    rows = [[category_words(c.name), c.question, *(fmt(c.scores.get(platforms[n])) for n in names), c.why] for c in settings.future.criteria]
    rows.append(["**mean**", "", *(f"**{fmt(settings.future.mean(platforms[n]))}**" for n in names), ""])
    return "\n\n".join([
        "## Future potential (subjective)",
        f"Not measured: a rubric read from `future_potential.toml`, by platform (a variant has its platform's). "
        f"Source: {settings.future.source}.",
        table(["criterion", "question", *names, "why"], rows),
    ])


def appendix(analysis: Analysis, settings: EvaluationSettings) -> str:
    sizing = analysis.run.spec.core.decision.sizing
    step = 10.0 ** -sizing.qty_decimals
    definitions = [
        ("signal start", "processing: the `signal_received` wall time, when the strategy first held the signal in force (every platform journals it; a provider's delivery before it is the transport's published → received); market time: the signal's own time."),
        ("stages", "wall-clock milestones per signal that led to an order, each the first record of its kind: published (`signal_published`, the provider's hand-off), received (`signal_received`), decided (`decision`), submitted (`order_submitted`), accepted (`order_accepted`: the venue's acknowledgement of the order, where the platform's venue sends one for market orders; without it the stage is submitted → filled), filled (`order_filled`); a stage runs to the next milestone the signal has. A milestone journaled after a later one (a venue that announces an order's creation asynchronously, after its fill in a replay) is left out of that signal's chain and counted. p50 / p99 by linear interpolation."),
        ("signal → order / fill", "processing: wall time of the first `order_submitted` / `order_filled` carrying the signal's id, minus the signal start; market time: their market time minus the signal's time. p50/p95/p99 by linear interpolation."),
        ("execution accuracy", f"filled as decided (scored): share of the signals the column sent orders for whose fills have those orders' side and total quantity (±{fmt(QTY_TOLERANCE / step, 0)} steps of {step:g}); traded as the reference (shown): share of the reference replay's actionable signals the column filled with the reference's side and quantity, which a later decision (at another price) can miss without any execution fault; position path: after every signal either side traded, the column's position against the reference's."),
        ("reference replay", "the shared signal runner (`decide` + risk gate) over the same quotes and signals, filling each market order at the touch of the quote in force at decision time + the column's venue fill delay (the last quote at or before it), stamped then, paying the column's fee; an order due after the last quote stays unfilled, as on the platforms."),
        ("ideal reference", "the same replay with no fill delay and the baseline's fee, the same for every column: the trading-results score measures each column's gross return against it, so a column's own delay (a clock tick) counts against it."),
        ("agreement", f"for each column and the baseline, the signals traded by either; agreeing when both filled the same side and quantity. Differences are attributed to: not traded (with that column's own account: the record that decided the matter), side, decision price (both decided, at different prices: the size follows), rounding (≤ {ROUNDING_STEPS} whole steps), size."),
        ("PnL, return", f"cash flows of fills minus fees plus the final position at the last mid; return on the {fmt(sizing.capital, 0)} sizing capital (quote currency). Gross return excludes fees."),
        ("Sharpe", "mean / standard deviation of hourly equity returns × √(24·365); n/a with fewer than two hours."),
        ("max drawdown", "largest fall of equity from its running peak, on the 1-minute mark grid."),
        ("heartbeat gap", "two consecutive heartbeats further apart (wall clock) than the stated factor × the heartbeat interval; not measured when the journal spans less wall time than one gap (a short replay writes its heartbeats near its end)."),
        ("RSS slope", "least-squares slope of the process tree's resident memory over wall time (a soak's after its warm-up), per wall hour and per market hour (wall ÷ market seconds per wall second); its interval from Newey-West (HAC) standard errors, or plain OLS ones where wider, with Student's t. Verdict per market hour: growing when the whole interval is above the threshold, stable when it is wholly at or below it (a shrinking RSS is not instability), not enough data otherwise, with the window that would settle it (the interval's width falls as the window to the power 1.5)."),
        ("differences behind the recommendation", f"each figure recomputed on `confidence.bootstrap_resamples` bootstrap resamples of its own units within the run, for each column against the baseline (percentile intervals, fixed seed): by signal with the pair kept for the latency cost (per signal side × (mid(σ + d₁) − mid(σ + d₂)) / mid(σ)), the execution cost (per signal both columns filled; shown, not scored: it holds the venue's fee and leaves out what one column alone traded) and the share filled as decided (per signal either decided); by signal period (from a signal's time to the next's) with both columns and the ideal reference kept together for the return gap, |Σ a's gross PnL − the ideal's| − |Σ b's|, each period holding the position held over it and the price parts of its signal's fills, so a signal one column alone traded and what it held afterwards count; each column's own fills apart for the p99; unscored below {fmt(MIN_UNITS)} signals (or fills) on a side, where a bootstrap's interval is not at its level; for CPU, moving blocks of ⌈n^(1/3)⌉ consecutive supervisor samples, each column apart, and unscored below {fmt(MIN_CPU_SAMPLES)} readings on a side. A difference settles its category only when its interval excludes zero and its size is beyond its threshold; within noise, immaterial (within the threshold, whatever the interval) or unscored, the column is tied with the baseline in that category, and every column tied with the baseline scores their mean (for resources, the mean CPU seconds per 1,000 events). Thresholds: costs in bps, `material_fee_share` of the fee; shares, the return gap and CPU, the scores' tie band in the figure's unit."),
        ("latency cost", "the signals' alpha decay over the column's delay d (`latency_score_delay_s`: in a replay its median signal → fill market time; in a live run its median real-time delay from the signal's scheduled availability to its fill, so the run's speed changes nothing): the mean over the signals the ideal reference traded of side × (mid in force at σ + d − mid in force at σ) / mid at σ, in bps, σ the signal's own time; positive is a cost. Its risk, the mid's expected absolute move σ_mid·√d·√(2/π) (σ_mid from the 1-minute marks), is shown, not scored: it is a move either way, not a cost."),
        ("confidence", "the recommendation's sentence names the measured differences that favour it, each with its size beside its threshold and its interval, and those against it; with none, it says no difference settles its category."),
        ("criteria", "pass / fail / not enough data: latency passes when the whole bootstrap interval of the p99 is below the target, fails when it is wholly at or above it; memory by the RSS slope's verdict; the others are counts, with no sampling to put an interval on."),
        ("CPU", "psutil CPU percent of the column's process tree, 100% = one core; sampled every second by the supervisor. CPU seconds: each reading × the interval since the sample before, summed; per 1,000 events: over the quotes the column processed and the signals its strategy received."),
        *DEFINITIONS,
        ("touch-points", "distinct names imported from the platform plus call sites into them or into inherited platform methods on `self` (AST count)."),
    ]
    params = vars(settings.scoring)
    formulas = [[category_words(c.category), FORMULAS[c.category].format(**params)] for c in analysis.verdict.categories]
    return "\n\n".join([
        "## Appendix: definitions",
        table(["metric", "definition"], [[k, v] for k, v in definitions]),
        "### Score formulas (0-10)", table(["category", "formula"], formulas),
    ])


def render(analysis: Analysis, settings: EvaluationSettings) -> str:
    """The whole ``report.md`` from what the analysis returned."""
    run = analysis.run
    verdict = analysis.verdict
    columns = analysis.figures.columns
    incomplete = [n for n, m in columns.items() if not m.stability.completed]
    header = [f"# Platform comparison: run `{run.run_id}`"]
    if incomplete:
        header.append(f"> **Incomplete run**: {', '.join(incomplete)} did not finish; figures cover what was journaled before it stopped.")
    unrecorded = [n for n, r in run.columns.items() if r.exit is None]
    if unrecorded:
        header.append(
            f"> {', '.join(unrecorded)}: no exit record, so the harness itself (or the machine) stopped during the run; "
            "this report was rebuilt from the journals alone."
        )
    doubted = [doubt_words(d) for m in columns.values() for d in m.doubts]
    if doubted:
        header.append(
            f"> **Incomplete run, no recommendation**: {'; '.join(doubted)}. Figures that rest on those journals "
            "are shown as read, and nothing here depends on them for a verdict."
        )
    if run.record.interrupted:
        header.append(STOPPED_EARLY_NOTE)
    if run.reference_origin.get("written_by") == REBUILT_BY_REPORT:
        header.append(
            "> The run wrote no reference replay (its harness stopped first): `poc-eval report` rebuilt it from the "
            "recorded inputs, unchanged since the run."
        )
    elif not run.has_reference:
        header.append("> No reference replay: the recorded inputs are gone or changed, so accuracy and reference figures are empty.")
    header.append(
        f"Recommended: **{recommendation_words(verdict)}** (overall "
        + ", ".join(f"{n} {fmt(s)}" for n, s in verdict.overall.items()) + " out of 10)."
    )
    header += sensitivity_lines(analysis)
    sections = [
        "\n\n".join(header), sensitivity_section(analysis), summary_section(analysis, settings), criteria_section(analysis.criteria, analysis.names),
        inputs_section(analysis), venues_section(analysis), latency_section(analysis), transport_section(analysis),
        accuracy_section(analysis), trading_section(analysis), exits_section(analysis), platform_figures_section(analysis), execution_cost_section(analysis),
        attribution_section(analysis),
        stability_section(analysis), resources_section(analysis, settings), scalability_section(analysis),
        soak_section(analysis, settings), complexity_section(analysis), future_section(analysis, settings),
        appendix(analysis, settings),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"
