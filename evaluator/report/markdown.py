"""``report.md``: what was run, the verdict, one section per category, the seed 000 success criteria,
the charts and the definitions of every metric."""

from __future__ import annotations

import math

from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.faults import fault_outcome
from evaluator.analysis.causes import results_causes
from evaluator.analysis.criteria import Criterion, settle_words
from evaluator.analysis.numbers import level_words
from evaluator.analysis.metrics.accuracy import QTY_TOLERANCE
from evaluator.analysis.metrics.agreement import ROUNDING_STEPS
from evaluator.analysis.metrics.memory import MemoryGrowth
from evaluator.analysis.metrics.stages import stage_names
from evaluator.report.costs import DEFINITIONS, attribution_section, execution_cost_section, venues_section
from evaluator.report.figures import STAGES_CHART, fmt, percent, table
from evaluator.report.transport import transport_section
from evaluator.analysis.confidence import Difference
from evaluator.analysis.scoring import TIE, Verdict
from evaluator.settings import EvaluationSettings
from shared_signals.config import MS_PER_SECOND, NANOS_PER_SECOND
from shared_signals.bar import duration_words
from shared_signals.contract.layout import REBUILT_BY_REPORT

MAX_LISTED_DIFFERENCES = 15
STOPPED_EARLY_NOTE = "> Stopped early by the user (Ctrl-C): figures cover what was collected."


def per_platform(evaluation: Evaluation, rows: list[tuple[str, callable]]) -> str:
    names = list(evaluation.platforms)
    return table(["figure", *names], [[label, *(get(evaluation.platforms[n]) for n in names)] for label, get in rows])


def _mark(passed: bool | None) -> str:
    return "not enough data" if passed is None else ("PASS" if passed else "FAIL")


SOURCE_WORDS = {
    "default": "the documented default",
    "flag": "set on the command line",
    "config_file": "from the core config file",
    "signal_bar": "the signal file's own bar, read off its timestamps",
}
"""How the report says where a setting came from (``RunSpec.tolerance_from``, ``tick_from``)."""


def clock_words(evaluation: Evaluation) -> str:
    """What Hummingbot's replay clock did, from its run's result (nothing for a live run)."""
    for record in evaluation.run.platforms.values():
        details = (record.result or {}).get("details") or {}
        if "clock_steps" in details:
            return (f"; {details['clock']} clock: stepped {fmt(details['clock_steps'])} of the "
                    f"{fmt(details['clock_ticks'])} ticks the market time spans (only ticks where a quote, signal, "
                    "expiry or fill was due)")
    return ""


def overlap_rows(inputs: dict) -> list[list[str]]:
    """A row when only part of the signals fall within the quotes' time span."""
    overlap = inputs.get("overlap") or {}
    if not overlap or overlap.get("in_quote_span") == overlap.get("signals"):
        return []
    return [["signals within the quotes' span", f"{fmt(overlap.get('in_quote_span'))} of {fmt(overlap.get('signals'))}"]]


def inputs_section(evaluation: Evaluation) -> str:
    inputs = evaluation.run.inputs
    files = [
        [role, f"`{d.get('path')}`", fmt(d.get("bytes")), f"`{str(d.get('sha256', ''))[:16]}…`", fmt(d.get("rows"))]
        for role, d in (("quotes", inputs.get("quotes", {})), ("signals", inputs.get("signals", {})))
    ]
    spec = evaluation.run.spec
    settings = [
        ["mode", spec.mode], ["speed", "as fast as possible" if spec.speed is None else f"{spec.speed:g}x"],
        ["instrument", spec.instrument],
        ["signal tolerance", f"{duration_words(spec.core.loader.tolerance_ns)} ({SOURCE_WORDS[spec.tolerance_from]})"],
        ["Hummingbot tick", f"{duration_words(spec.tick_size_ns)} ({SOURCE_WORDS[spec.tick_from]}: an order fills one tick "
                            f"after it is placed){clock_words(evaluation)}"],
        ["market time", f"{inputs.get('quotes', {}).get('first')} → {inputs.get('quotes', {}).get('last')}"],
        *overlap_rows(inputs),
    ]
    versions = inputs.get("versions", {})
    machine = inputs.get("machine", {})
    return "\n\n".join([
        "## Inputs",
        table(["input", "file", "bytes", "sha256", "rows"], files),
        table(["setting", "value"], [[k, str(v)] for k, v in settings]),
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"Machine: {machine.get('cpus')} CPUs, {machine.get('platform')}. "
        f"Supervisor's own CPU: {fmt(inputs.get('supervisor_cpu_pct'))}% of one core in all, of which resource "
        f"sampling {fmt(inputs.get('sampling_cpu_pct'), 3)}%; its RSS went from "
        f"{fmt(inputs.get('supervisor_rss_start_mb'))} MB to {fmt(inputs.get('supervisor_rss_end_mb'))} MB during the run.",
    ])


def recommendation_words(verdict: Verdict) -> str:
    return "no measured winner" if verdict.recommended == TIE else verdict.recommended


def summary_section(evaluation: Evaluation, verdict: Verdict, settings: EvaluationSettings) -> str:
    names = list(evaluation.platforms)
    rows = [
        [c.category.replace("_", " "), fmt(settings.weights.get(c.category, 0.0)), *(fmt(c.scores[n]) for n in names), c.winner]
        for c in verdict.categories
    ]
    rows.append(["**overall**", "1.00", *(f"**{fmt(verdict.overall[n])}**" for n in names), f"**{verdict.recommended}**"])
    parts = ["## Summary", table(["category", "weight", *names, "winner"], rows)]
    parts.append(f"### Recommendation: **{recommendation_words(verdict)}**")
    if verdict.confidence:
        parts.append(f"**Confidence.** {verdict.confidence}")
    if verdict.reasons:
        parts.append("Why:\n" + "\n".join(f"- {r}" for r in verdict.reasons))
    if verdict.caveats:
        parts.append("Where the other platform is better, or the data is incomplete:\n" + "\n".join(f"- {c}" for c in verdict.caveats))
    if verdict.differences:
        parts.append(differences_part(verdict))
    return "\n\n".join(parts)


def differences_part(verdict: Verdict) -> str:
    """Each difference the recommendation uses, with its interval and what it settles."""
    first, second = verdict.differences[0].first, verdict.differences[0].second
    level = level_words(verdict.differences[0].level)

    def settles(d: Difference) -> str:
        if not d.measured:
            return "not enough data"
        if d.settled:
            return f"{d.better} ({d.category.replace('_', ' ')})" if d.category else f"{d.better} (shown, not scored)"
        return "tie: within noise" if d.within_noise else "tie: immaterial"

    rows = [[d.figure, d.unit, fmt(d.values[0], 3), fmt(d.values[1], 3), fmt(d.difference, 3),
             f"[{fmt(d.low, 3)}, {fmt(d.high, 3)}]" if d.measured else "n/a", fmt(d.threshold, 3), settles(d)] for d in verdict.differences]
    return "### The differences behind it\n\n" + table(
        ["figure", "unit", first, second, f"{first} − {second}", f"{level} interval", "material beyond", "settles"], rows)


def criteria_section(evaluation: Evaluation, criteria: list[Criterion]) -> str:
    names = list(evaluation.platforms)
    rows = [[c.name, c.target, *(f"{_mark(c.figures[n][1])} ({c.figures[n][0]})" for n in names)] for c in criteria]
    return "## Seed 000 success criteria\n\n" + table(["criterion", "target", *names], rows)


def latency_section(evaluation: Evaluation) -> str:
    rows = []
    for label, which in (("signal → order", "latency_to_order"), ("signal → fill", "latency_to_fill")):
        for q in ("count", "p50_ms", "p95_ms", "p99_ms", "max_ms"):
            rows.append((f"{label} {q.replace('_ms', '')}" + ("" if q == "count" else " (ms)"), lambda m, w=which, q=q: fmt(getattr(getattr(m, w), q))))
    market = []
    for label, which in (("signal → order", "market_to_order"), ("signal → fill", "market_to_fill")):
        for q in ("p50_ms", "p99_ms", "max_ms"):
            market.append((f"{label} {q.replace('_ms', '')} (s)", lambda m, w=which, q=q: fmt(getattr(getattr(m, w), q) / MS_PER_SECOND, 3)))
    mode = evaluation.run.spec.mode
    clock = "wall clock" if mode == "live" else "wall clock inside the replay"
    return "\n\n".join([
        "## Latency",
        f"Processing time, on the {clock}, from the strategy's receipt of the signal (the same record on every platform; "
        "a provider's delivery before it is in the transport section):",
        per_platform(evaluation, rows), "![latency CDF](charts/latency_cdf.png)",
        "Market time, from the signal's own time: what moves the price a fill gets.",
        per_platform(evaluation, market),
        stages_part(evaluation, clock),
    ])


def stages_part(evaluation: Evaluation, clock: str) -> str:
    """Where a signal's wall time goes, stage by stage; a stage a platform does not pass shows "—"."""
    names = list(evaluation.platforms)
    found = {n: m.stages.by_name for n, m in evaluation.platforms.items()}
    order = stage_names([m.stages for m in evaluation.platforms.values()])
    rows = [[stage, *(f"{fmt(found[n][stage].p50_ms, 3)} / {fmt(found[n][stage].p99_ms, 3)} ({found[n][stage].count})"
                      if stage in found[n] else "—" for n in names)] for stage in order]
    late = [f"{n}: {', '.join(f'{k} after the next milestone for {v} signal(s)' for k, v in m.stages.reported_late.items())}"
            for n, m in evaluation.platforms.items() if m.stages.reported_late]
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


def accuracy_section(evaluation: Evaluation) -> str:
    rows = [
        ("signals it sent orders for", lambda m: fmt(m.accuracy.decided)),
        ("filled as decided (scored)", lambda m: fmt(m.accuracy.filled_as_decided)),
        ("share filled as decided", lambda m: percent(m.accuracy.decided_share)),
        ("actionable signals (reference)", lambda m: fmt(m.accuracy.actionable)),
        ("traded as the reference", lambda m: fmt(m.accuracy.executed_as_intended)),
        ("share traded as the reference (decision time included)", lambda m: percent(m.accuracy.share)),
        ("position path matches", lambda m: f"{m.accuracy.position_matches}/{m.accuracy.position_checks}"),
    ]
    parts = ["## Execution accuracy", per_platform(evaluation, rows)]
    pair = evaluation.agreement
    if pair is not None:
        parts.append("### Agreement between the platforms")
        gap = float(pair.fill_delay_s.median()) if len(pair.fill_delay_s) else float("nan")
        parts.append(
            f"{pair.agreeing} of {pair.compared} traded signals agree trade by trade ({percent(pair.share)}). "
            f"On agreeing trades the second platform filled a median {fmt(gap)} s of market time after the first "
            "(fill delay of the venue model plus clock tick)."
        )
        causes = pair.causes()
        if causes:
            parts.append(table(["cause", "signals"], [[k, str(v)] for k, v in sorted(causes.items())]))
            listed = pair.differences.head(MAX_LISTED_DIFFERENCES)
            if len(listed) < len(pair.differences):
                parts.append(f"The first {len(listed)} of {len(pair.differences)} differences; `metrics.json` lists them all.")
            parts.append(table(["signal", "cause", "detail"], [[f"`{r.signal_id}`", r.cause, r.detail] for r in listed.itertuples()]))
    return "\n\n".join(parts)


def trading_section(evaluation: Evaluation) -> str:
    ideal = evaluation.ideal_trading
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
    return "\n\n".join(["## Trading results", per_platform(evaluation, rows), why_results_differ(evaluation), "![equity curves](charts/equity.png)"])


def why_results_differ(evaluation: Evaluation) -> str:
    return "Why the results differ:\n" + "\n".join(f"- {line}" for line in results_causes(evaluation))


def counts(by_kind: dict[str, int]) -> str:
    """A journal code count as the report shows it: ``stale 2, duplicate 1``, or ``0``."""
    return ", ".join(f"{kind} {n}" for kind, n in by_kind.items()) or "0"


def stability_section(evaluation: Evaluation) -> str:
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
    parts = ["## Stability", per_platform(evaluation, rows)]
    for name, m in evaluation.platforms.items():
        if m.stability.crashed:
            record = evaluation.run.platforms[name]
            when = record.exit.get("ended_ns") if record.exit else None
            parts.append(
                f"**{name} crashed** (exit code {m.stability.exit_code}) {fmt((when - record.exit['started_ns']) / NANOS_PER_SECOND) + ' s after start' if when else ''}; "
                f"its journal up to the crash was read ({len(record.events)} events). See `{name}/process.log`."
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


def resources_section(evaluation: Evaluation, settings: EvaluationSettings) -> str:
    rows = [
        ("samples", lambda m: fmt(m.resources.samples)),
        ("mean CPU (% of one core)", lambda m: fmt(m.resources.mean_cpu_pct)),
        ("peak CPU (% of one core)", lambda m: fmt(m.resources.peak_cpu_pct)),
        ("peak RSS (MB)", lambda m: fmt(m.resources.peak_rss_mb)),
        ("RSS slope (MB per market hour)", lambda m: slope_cells(m.memory)[0]),
        (f"its {level_words(settings.confidence.level)} interval", lambda m: slope_cells(m.memory)[1]),
        ("RSS slope (MB per wall hour)", lambda m: slope_cells(m.memory)[2]),
        ("memory verdict (threshold, MB per market hour)", lambda m: f"{memory_verdict_words(m.memory)} ({fmt(m.memory.threshold_mb_per_h)})"),
        ("peak threads", lambda m: fmt(m.resources.peak_threads)),
        ("peak open files", lambda m: fmt(m.resources.peak_open_files)),
    ]
    cpus = evaluation.run.inputs.get("machine", {}).get("cpus")
    together = (
        f"All {len(evaluation.platforms)} platforms ran at the same time on this machine ({fmt(cpus)} CPUs), each measured "
        "as its own process tree: they shared the cores. CPU figures leave out each run's first sample (psutil's "
        "first reading is always 0)."
        if len(evaluation.platforms) > 1 else "CPU figures leave out the first sample (psutil's first reading is always 0)."
    )
    return "\n\n".join(["## Resources", together, per_platform(evaluation, rows), "![RSS and CPU](charts/resources.png)"])


def scalability_section(evaluation: Evaluation) -> str:
    rows = [
        ("quotes processed", lambda m: fmt(m.scalability.quotes)),
        ("wall time (s)", lambda m: fmt(m.scalability.wall_s)),
        ("quotes per second", lambda m: fmt(m.scalability.quotes_per_s, 0)),
        ("journal events per second", lambda m: fmt(m.scalability.events_per_s, 0)),
        ("signals per minute sustained", lambda m: fmt(m.scalability.signals_per_min)),
    ]
    note = (
        "Several instruments at once: `poc-eval scale` runs each platform with one process per instrument "
        "(BTCUSDT, ETHUSDT, SOLUSDT by default) and writes `scale_report.md` with the combined throughput, memory and CPU."
    )
    return "\n\n".join(["## Scalability", per_platform(evaluation, rows), note])


def complexity_section(evaluation: Evaluation, settings: EvaluationSettings) -> str:
    rows = [
        ("package", lambda m: f"`{m.complexity.package}`"),
        ("files", lambda m: fmt(m.complexity.files)),
        ("source lines (SLOC)", lambda m: fmt(m.complexity.sloc)),
        ("mean cyclomatic complexity", lambda m: fmt(m.complexity.cc_mean)),
        ("max cyclomatic complexity", lambda m: fmt(m.complexity.cc_max)),
        ("platform names imported", lambda m: fmt(m.complexity.platform_names)),
        ("platform call sites", lambda m: fmt(m.complexity.platform_calls)),
        ("config knobs", lambda m: fmt(m.complexity.config_knobs)),
        ("setup steps", lambda m: fmt(m.complexity.setup_steps)),
        ("install time of the platform (s)", lambda m: fmt(m.complexity.install_s, 0)),
    ]
    steps = "\n".join(f"- **{name}**: " + "; ".join(items) for name, items in settings.setup_steps.items())
    return "\n\n".join(["## Integration complexity", "Measured with radon on each POC package (the shared core is excluded: both use it).",
                        per_platform(evaluation, rows), "Setup steps:\n" + steps])


def soak_section(evaluation: Evaluation, settings: EvaluationSettings) -> str:
    soaked = {name: m.soak for name, m in evaluation.platforms.items() if m.soak is not None}
    if not soaked:
        return ""
    inputs = evaluation.run.inputs
    soak = inputs.get("soak", {})
    threshold = settings.soak.max_rss_slope_mb_per_h
    parts = [
        "## Soak",
        f"Live paper run of {fmt(inputs.get('wall_s'), 0)} s wall time at {evaluation.run.spec.speed or 'max'}x "
        f"({fmt(soak.get('market_s'), 0)} s of market time; inputs looped {soak.get('copies', 1)} time(s) with continuing timestamps).",
        table(
            [
                "platform", f"RSS slope after the first {fmt(settings.soak.warmup_s, 0)} s (MB per market hour)",
                f"{level_words(settings.confidence.level)} interval", "per wall hour",
                f"verdict (threshold {fmt(threshold)} MB per market hour)",
            ],
            [[n, *slope_cells(evaluation.platforms[n].memory), memory_verdict_words(evaluation.platforms[n].memory)] for n in soaked],
        ),
        "![soak memory and CPU](charts/resources.png)",
    ]
    for name, figures in soaked.items():
        rows = [[str(r.hour), str(r.scheduled), str(r.received), str(r.acted_on), str(r.errors), str(r.heartbeat_gaps)] for r in figures.hourly.itertuples()]
        parts.append(f"### {name}, per hour\n\n" + table(["hour", "signals scheduled", "received", "acted on", "errors", "heartbeat gaps"], rows))
    faults = inputs.get("faults", [])
    if faults:
        rows = [[f["name"], f["target"], fmt(f.get("at_s")), f.get("action", ""), fault_outcome(evaluation, f)] for f in faults]
        parts.append("### Injected faults\n\n" + table(["fault", "target", "at (s)", "what was done", "outcome in the journals"], rows))
    return "\n\n".join(parts)


def future_section(evaluation: Evaluation, settings: EvaluationSettings) -> str:
    names = list(evaluation.platforms)
    rows = [[c.name.replace("_", " "), c.question, *(fmt(c.scores.get(n)) for n in names), c.why] for c in settings.future.criteria]
    rows.append(["**mean**", "", *(f"**{fmt(settings.future.mean(n))}**" for n in names), ""])
    return "\n\n".join([
        "## Future potential (subjective)",
        f"Not measured: a rubric read from `future_potential.toml`. Source: {settings.future.source}.",
        table(["criterion", "question", *names, "why"], rows),
    ])


def appendix(evaluation: Evaluation, verdict: Verdict) -> str:
    sizing = evaluation.run.spec.core.decision.sizing
    step = 10.0 ** -sizing.qty_decimals
    definitions = [
        ("signal start", "processing: the `signal_received` wall time, when the strategy first held the signal in force (every platform journals it; Hummingbot's provider delivery before it is the transport's published → received); market time: the signal's own time."),
        ("stages", "wall-clock milestones per signal that led to an order, each the first record of its kind: published (`signal_published`, the provider's hand-off), received (`signal_received`), decided (`decision`), submitted (`order_submitted`), accepted (`order_accepted`: Nautilus' OrderAccepted, which its replay venue sends for market orders (`use_market_order_acks`) and its live Sandbox venue does not, so live Nautilus shows submitted → filled; Hummingbot's OrderCreated event), filled (`order_filled`); a stage runs to the next milestone the signal has. A milestone journaled after a later one (Hummingbot's paper exchange announces creation 10 ms late, asynchronously) is left out of that signal's chain and counted. p50 / p99 by linear interpolation."),
        ("signal → order / fill", "processing: wall time of the first `order_submitted` / `order_filled` carrying the signal's id, minus the signal start; market time: their market time minus the signal's time. p50/p95/p99 by linear interpolation."),
        ("execution accuracy", f"filled as decided (scored): share of the signals the platform sent orders for whose fills have those orders' side and total quantity (±{fmt(QTY_TOLERANCE / step, 0)} steps of {step:g}); traded as the reference (shown): share of the reference replay's actionable signals the platform filled with the reference's side and quantity, which a later decision (at another price) can miss without any execution fault; position path: after every signal either side traded, the platform's position against the reference's."),
        ("reference replay", "the shared signal runner (`decide` + risk gate) over the same quotes and signals, filling market orders at the touch of the first quote at or after decision time + the platform's venue fill delay, paying the platform's fee."),
        ("ideal reference", "the same replay with no fill delay and the run's fee, the same for every platform: the trading-results score measures each platform's gross return against it, so a platform's own delay (Hummingbot's tick) counts against it."),
        ("agreement", f"signals traded by either platform; agreeing when both filled the same side and quantity. Differences are attributed to: not traded (with the platform's own account: the record that decided the matter), side, decision price (both decided, at different prices: the size follows), rounding (≤ {ROUNDING_STEPS} whole steps), size."),
        ("PnL, return", f"cash flows of fills minus fees plus the final position at the last mid; return on the {fmt(sizing.capital, 0)} sizing capital (quote currency). Gross return excludes fees."),
        ("Sharpe", "mean / standard deviation of hourly equity returns × √(24·365); n/a with fewer than two hours."),
        ("max drawdown", "largest fall of equity from its running peak, on the 1-minute mark grid."),
        ("heartbeat gap", "two consecutive heartbeats further apart (wall clock) than the stated factor × the heartbeat interval; not measured when the journal spans less wall time than one gap (a short replay writes its heartbeats near its end)."),
        ("RSS slope", "least-squares slope of the process tree's resident memory over wall time (a soak's after its warm-up), per wall hour and per market hour (wall ÷ market seconds per wall second); its interval from Newey-West (HAC) standard errors, or plain OLS ones where wider, with Student's t. Verdict per market hour: growing when the whole interval is above the threshold, stable when it is wholly at or below it (a shrinking RSS is not instability), not enough data otherwise, with the window that would settle it (the interval's width falls as the window to the power 1.5)."),
        ("differences behind the recommendation", "each figure recomputed on `confidence.bootstrap_resamples` bootstrap resamples of its own units within the run, the two platforms resampled apart (scipy's percentile bootstrap, fixed seed): signals for the latency cost and the share filled as decided, fills for the execution cost and the p99, the supervisor's samples for CPU. A difference whose interval contains zero (noise) or lies wholly within its threshold (immaterial) settles nothing: the category is a tie and both platforms score its mean (for resources, the mean CPU). Thresholds: costs in bps, `material_fee_share` of the fee; shares and CPU, the scores' tie band in the figure's unit."),
        ("confidence", "the recommendation's sentence names the measured differences that favour it and are both material and outside noise, and those against it; with none, it says there is no measured winner."),
        ("criteria", "pass / fail / not enough data: latency passes when the whole bootstrap interval of the p99 is below the target, fails when it is wholly at or above it; memory by the RSS slope's verdict; the others are counts, with no sampling to put an interval on."),
        ("CPU", "psutil CPU percent of the platform's process tree, 100% = one core; sampled every second by the supervisor."),
        *DEFINITIONS,
        ("touch-points", "distinct names imported from the platform plus call sites into them or into inherited platform methods on `self` (AST count)."),
    ]
    formulas = [[c.category.replace("_", " "), c.formula] for c in verdict.categories]
    return "\n\n".join([
        "## Appendix: definitions",
        table(["metric", "definition"], [[k, v] for k, v in definitions]),
        "### Score formulas (0-10)", table(["category", "formula"], formulas),
    ])


def render(evaluation: Evaluation, verdict: Verdict, criteria: list[Criterion], settings: EvaluationSettings) -> str:
    """The whole ``report.md`` from what the analysis returned."""
    run = evaluation.run
    incomplete = [n for n, m in evaluation.platforms.items() if not m.stability.completed]
    header = [f"# Platform comparison: run `{run.run_id}`"]
    if incomplete:
        header.append(f"> **Incomplete run**: {', '.join(incomplete)} did not finish; figures cover what was journaled before it stopped.")
    unrecorded = [n for n, r in run.platforms.items() if r.exit is None]
    if unrecorded:
        header.append(
            f"> {', '.join(unrecorded)}: no exit record, so the harness itself (or the machine) stopped during the run; "
            "this report was rebuilt from the journals alone."
        )
    doubted = [d.detail for m in evaluation.platforms.values() for d in m.doubts]
    if doubted:
        header.append(
            f"> **Incomplete run, no recommendation**: {'; '.join(doubted)}. Figures that rest on those journals "
            "are shown as read, and nothing here depends on them for a verdict."
        )
    if run.inputs.get("interrupted"):
        header.append(STOPPED_EARLY_NOTE)
    if run.reference_origin.get("written_by") == REBUILT_BY_REPORT:
        header.append(
            "> The run wrote no reference replay (its harness stopped first): `poc-eval report` rebuilt it from the "
            "recorded inputs, unchanged since the run."
        )
    elif not run.has_reference:
        header.append("> No reference replay: the recorded inputs are gone or changed, so accuracy and reference figures are empty.")
    header.append(
        f"Recommended platform: **{recommendation_words(verdict)}** (overall "
        + ", ".join(f"{n} {fmt(s)}" for n, s in verdict.overall.items()) + " out of 10)."
    )
    sections = [
        "\n\n".join(header), summary_section(evaluation, verdict, settings), criteria_section(evaluation, criteria),
        inputs_section(evaluation), venues_section(evaluation), latency_section(evaluation), transport_section(evaluation),
        accuracy_section(evaluation), trading_section(evaluation), execution_cost_section(evaluation),
        attribution_section(evaluation),
        stability_section(evaluation), resources_section(evaluation, settings), scalability_section(evaluation),
        soak_section(evaluation, settings), complexity_section(evaluation, settings), future_section(evaluation, settings),
        appendix(evaluation, verdict),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"

