"""The one validation layer: everything a run is given (its files, its flags, the core configuration,
its columns and each one's platform settings) is read and checked here, before any platform starts,
the same way for ``validate``, ``run``, ``run-both``, ``soak``, ``compare-transports``, ``calibrate``
and ``scale``.

Each value's range is stated where the value is defined (the config dataclasses, :class:`RunSpec`,
the loaders) and checked when it is built; this module only decides the order things are read in,
so the first mistake the user made is the one line they see. What it reads on the way (the signal
table, the quote file's span, their overlap) goes on to the harness as :class:`RunInputs`, so no
file is read twice.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from pathlib import Path
from typing import get_args

from evaluator.commands.broker_options import add_broker_options, given_broker
from evaluator.commands.columns import add_column_options, add_platform_flags, plan_columns
from evaluator.commands.json_files import read_json_object
from evaluator.commands.sensitivity import sensitivity_columns
from evaluator.harness.comparison import Columns
from evaluator.console import err
from shared_signals.durations import duration_arg, speed_arg
from evaluator.harness.demo_inputs import ensure_demo_data
from evaluator.harness.preflight import preflight
from evaluator.harness.run_inputs import RunInputs, read_run_inputs
from shared_signals.bar import detect_bar, duration_words
from shared_signals.config import (
    DEFAULT_STARTING_BASE,
    DEFAULT_STARTING_QUOTE,
    NANOS_PER_SECOND,
    DecisionRule,
    DuplicatePolicy,
    SignalCoreConfig,
)
from shared_signals.contract.layout import claim_run_folder
from shared_signals.contract.modes import MODES
from shared_signals.contract.platforms import DEFAULT_PLATFORMS
from shared_signals.contract.spec import RunSpec, SettingSource, VenueModelName, VenueSpec
from shared_signals.errors import InputError
from shared_signals.instruments import DEFAULT_INSTRUMENT, canonical_symbol
from shared_signals.loader import load_signals
from shared_signals.overlap import Overlap
from shared_signals.quotes import QuoteSpan, quote_span
from shared_signals.table import SignalTable


def add_file_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quotes", type=Path, help="quote file (.parquet); demo data when omitted")
    parser.add_argument("--signals", type=Path, help="signal file (.pkl, .parquet, .csv); demo data when omitted")
    parser.add_argument("--instrument", default=None,
                        help="instrument, any spelling: BTCUSDT, BTCUSDT.BINANCE, BTC-USDT (default: the signal file's "
                        f"only instrument; {DEFAULT_INSTRUMENT} when it names none; a file with several needs this)")


def add_clock_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=MODES, default="replay",
                        help="replay: simulated clock, as fast as possible; live: wall clock, paper venue")
    parser.add_argument("--speed", type=speed_arg, default=None,
                        help="live mode: 1 = real time, 10 = ten times faster, max = as fast as possible (default max)")
    parser.add_argument("--duration", type=duration_arg, default=None,
                        help="stop after this much time, e.g. 90s, 5m, 1h, 24h (default: until the data ends)")


def add_setting_options(parser: argparse.ArgumentParser) -> None:
    """The settings of a run: the signal core's, the venues', and each platform's own (its registry flags)."""
    parser.add_argument("--tolerance", type=duration_arg, default=None,
                        help="how long a signal stays in force, e.g. 5m, 1h (default: the signal file's own bar, "
                        "read off its timestamps: hourly rows stay in force for an hour)")
    parser.add_argument("--max-quote-age", type=duration_arg, default=None,
                        help="the risk gate sends no order against a quote this old: the market is closed, e.g. 15m, "
                        "1h (default: one spacing of the quote file, read off its timestamps: a quote is in force "
                        "until its successor is due)")
    parser.add_argument("--duplicates", choices=get_args(DuplicatePolicy), default=None,
                        help="two signals at the same time: refuse the file (default), or keep the first or the last")
    parser.add_argument("--decision-rule", choices=get_args(DecisionRule), default=None,
                        help="shared: the seed 000 rule on prob_up and side (default); ai_livestream: Hummingbot's "
                        "AI-livestream controller rule on [short, neutral, long] (every platform, same risk gate)")
    parser.add_argument("--core-config", type=Path, default=None,
                        help="the signal-core configuration as JSON (any subset of shared_signals/config.py's "
                        "settings); --tolerance, --max-quote-age, --duplicates and --decision-rule, when given, take "
                        "precedence")
    venue = VenueSpec()
    parser.add_argument("--venue-model", choices=get_args(VenueModelName), default=venue.model,
                        help="matched: every venue charges --fee-bps on every fill, so a difference in results is the "
                        "platform's (default); native: each platform's out-of-box venue")
    parser.add_argument("--fee-bps", type=float, default=venue.fee_bps,
                        help=f"matched venues: the fee on every fill in basis points of its notional (default {venue.fee_bps:g}: "
                        "Binance's BTCUSDT taker fee as Nautilus defines it)")
    parser.add_argument("--fill-delay", type=duration_arg, default=None,
                        help="market time between a market order and its fill on every venue, e.g. 2s (default 0), each "
                        "platform through its own mechanism")
    parser.add_argument("--signal-delay", type=duration_arg, default=None,
                        help="market time every platform sees each signal after its time, e.g. 2s (default 0): a "
                        "provider publishes late, an in-process strategy holds it back; less than the tolerance")
    parser.add_argument("--starting-quote", type=float, default=DEFAULT_STARTING_QUOTE,
                        help=f"paper balance in quote currency on every venue (default {DEFAULT_STARTING_QUOTE:g})")
    parser.add_argument("--starting-base", type=float, default=DEFAULT_STARTING_BASE,
                        help=f"paper balance in base currency: the inventory a spot short sells (default {DEFAULT_STARTING_BASE:g})")
    add_platform_flags(parser)
    add_broker_options(parser)


def add_input_options(parser: argparse.ArgumentParser, several: bool = True) -> None:
    """Everything a platform-running command is given: clock, files, settings and its columns."""
    add_clock_options(parser)
    add_file_options(parser)
    add_setting_options(parser)
    add_column_options(parser, several)


@dataclass(frozen=True)
class CheckedInputs:
    """What the layer read and checked: every column's spec (its settings all in range), and what the
    files held. ``inputs`` is None unless both files were given."""

    columns: Columns
    signals: SignalTable | None
    quotes: QuoteSpan | None
    overlap: Overlap | None

    @property
    def spec(self) -> RunSpec:
        """The baseline column's spec: what every column shares."""
        return self.columns.baseline_spec

    @property
    def inputs(self) -> RunInputs | None:
        if self.signals is None or self.quotes is None or self.overlap is None:
            return None
        return RunInputs(self.signals, self.quotes, self.overlap)


def _existing_file(path: Path | None) -> Path | None:
    if path is not None and path.is_dir():
        raise InputError("is a folder, expected a file", path)
    if path is not None and not path.is_file():
        raise InputError("file not found", path)
    return path


def run_files(args: argparse.Namespace) -> tuple[Path, Path]:
    """The quote and signal files of a run: both given, or neither for the demo data."""
    if (args.quotes is None) != (args.signals is None):
        raise InputError("give both --quotes and --signals, or neither for the demo data")
    if args.quotes is None:
        demo = ensure_demo_data()
        return demo.quotes, demo.signals
    return args.quotes, args.signals


def core_config(args: argparse.Namespace) -> tuple[dict, SignalCoreConfig]:
    """The ``--core-config`` file's settings (a bad value names the file), or the defaults, with the
    flags that must be known before the signal file is read on top."""
    data = {} if args.core_config is None else read_json_object(args.core_config, "signal-core configuration")
    try:
        core = SignalCoreConfig.from_dict(data)
    except InputError as exc:
        raise InputError(exc.what, args.core_config) from None
    if args.duplicates is not None:
        core = replace(core, loader=replace(core.loader, duplicates=args.duplicates))
    if args.decision_rule is not None:
        core = replace(core, decision=replace(core.decision, rule=args.decision_rule))
    return data, core


def with_tolerance(
    args: argparse.Namespace, data: dict, core: SignalCoreConfig, table: SignalTable | None
) -> tuple[SignalCoreConfig, SettingSource]:
    """``core`` with its tolerance: ``--tolerance``, else the core config file's, else the signal
    file's bar, else the default when there is no signal file. Also says which."""
    if args.tolerance is not None:
        tolerance, source = args.tolerance, "flag"
    elif "tolerance_ns" in data.get("loader", {}):
        return core, "config_file"
    elif table is None:
        return core, "default"
    else:
        tolerance, source = detect_bar(table.ts_ns, core.loader.bar_fit_share, table.source).bar_ns, "signal_bar"
    return replace(core, loader=replace(core.loader, tolerance_ns=tolerance)), source


def with_quote_age(
    args: argparse.Namespace, data: dict, core: SignalCoreConfig, quotes: QuoteSpan | None
) -> tuple[SignalCoreConfig, SettingSource]:
    """``core`` with the risk gate's quote-age limit: ``--max-quote-age``, else the core config file's,
    else one spacing of the quote file (a quote is in force until its successor is due: older, the
    market is closed), else the default when there is no quote file. Also says which. A value out of
    the limit's range is refused naming where it came from."""
    if args.max_quote_age is not None:
        limit_s, source, where = args.max_quote_age / NANOS_PER_SECOND, "flag", "--max-quote-age"
    elif "max_quote_age_s" in data.get("risk", {}):
        return core, "config_file"
    elif quotes is None or quotes.spacing_ns <= 0:
        return core, "default"
    else:
        limit_s, source = quotes.spacing_ns / NANOS_PER_SECOND, "quote_spacing"
        where = f"one spacing of the quotes ({duration_words(quotes.spacing_ns)}); give --max-quote-age"
    try:
        return replace(core, risk=replace(core.risk, max_quote_age_s=limit_s)), source
    except InputError as exc:
        raise InputError(f"{exc.what} ({where})") from None


def venue_spec(args: argparse.Namespace) -> VenueSpec:
    delay_s = 0.0 if args.fill_delay is None else args.fill_delay / NANOS_PER_SECOND
    return VenueSpec(model=args.venue_model, fee_bps=args.fee_bps, fill_delay_s=delay_s)


def state_overlap(overlap: Overlap) -> None:
    """A partial overlap of signals and quotes, stated on stderr (none at all is refused when read)."""
    if overlap.partial:
        err.print(f"note: {overlap.in_quote_span:,} of {overlap.signals:,} signals fall within the quotes' time span",
                  highlight=False)


def check_inputs(
    args: argparse.Namespace, files: tuple[Path | None, Path | None], run_dir: Path, run_id: str,
    names: list[str] | None = None,
) -> CheckedInputs:
    """Reads and checks ``files`` (quotes, signals; either may be absent) and every setting of ``args``
    into one spec per column (``names``, or the column options' choice), each checked by its platform;
    the first mistake is an :class:`InputError`. Signals that are never in force while there are quotes
    are refused; a partial overlap is stated on stderr."""
    quotes, signals = (_existing_file(path) for path in files)
    data, core = core_config(args)
    table = None if signals is None else load_signals(signals, args.instrument, core.loader, core.side, core.regime)
    core, tolerance_from = with_tolerance(args, data, core, table)
    span = None if quotes is None else quote_span(quotes)
    core, max_quote_age_from = with_quote_age(args, data, core, span)
    symbol = table.symbol if table is not None else canonical_symbol(args.instrument or DEFAULT_INSTRUMENT)
    base = RunSpec(
        platform=DEFAULT_PLATFORMS[0], mode=args.mode, quotes=quotes or Path(), signals=signals or Path(), run_dir=run_dir,
        run_id=run_id, instrument=symbol, speed=args.speed, duration_ns=args.duration, core=core, venue=venue_spec(args),
        signal_delay_ns=args.signal_delay or 0, tolerance_from=tolerance_from, max_quote_age_from=max_quote_age_from,
        starting_quote=args.starting_quote, starting_base=args.starting_base,
    )
    columns = plan_columns(args, base, names)
    if getattr(args, "sensitivity", False):
        columns = sensitivity_columns(args, base, columns, span)
    columns = replace(columns, broker=given_broker(args))
    preflight(columns.specs)
    if table is None or span is None:
        return CheckedInputs(columns, table, span, None)
    read = read_run_inputs(columns.baseline_spec, table, span)
    state_overlap(read.overlap)
    return CheckedInputs(columns, table, read.quotes, read.overlap)


def check_run(
    args: argparse.Namespace, run_dir: Path, run_id: str, folder: Path, names: list[str] | None = None
) -> CheckedInputs:
    """A run's inputs (the demo data when no file is given), all checked; then ``folder``, the one the
    command writes into, claimed (created, or refused when it holds a run or cannot be written)."""
    checked = check_inputs(args, run_files(args), run_dir, run_id, names)
    claim_run_folder(folder)
    return checked
