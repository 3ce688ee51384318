"""Entry point of the Nautilus POC: ``run(spec)`` replays or paper-trades live into ``run_dir/nautilus``.

Order matters: inputs are validated first (a user mistake is an :class:`InputError` before any
engine exists), then ``run.json`` records what is about to run, then the journal opens and the
chosen mode runs. The journal is closed (and converted to parquet) whatever happens; a run
restarted in the same folder continues the journal (its sequence numbers go on).
"""

from __future__ import annotations

import json
import logging

from poc_nautilus.config import NAUTILUS_LOG_LEVEL, PLATFORM, QUOTE_BATCH_ROWS, Q50StrategyConfig
from poc_nautilus.inputs import prepare_inputs
from poc_nautilus.live import run_live
from poc_nautilus.replay import run_replay
from poc_nautilus.venue import ACCOUNT_TYPE, OMS_TYPE, VENUE, spec_instrument
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.run_info import VenueInfo, file_digest, write_run_info
from shared_signals.contract.spec import RunResult, RunSpec
from shared_signals.errors import InputError
from shared_signals.instruments import canonical_symbol

log = logging.getLogger(__name__)

MODES = {"replay": run_replay, "live": run_live}


def strategy_config(spec: RunSpec) -> Q50StrategyConfig:
    return Q50StrategyConfig(
        instrument_id=spec_instrument(spec).id, core=spec.core, heartbeat_s=spec.heartbeat_s, signal_delay_ns=spec.signal_delay_ns,
        fill_delay_ns=round(spec.venue.fill_delay_s * NANOS_PER_SECOND),
        starting_balances=(spec.starting_quote, spec.starting_base),
    )


def venue_info(spec: RunSpec) -> VenueInfo:
    instrument = spec_instrument(spec)
    source = "matched: the run spec's" if spec.venue.fee_rate is not None else "the instrument's own"
    return VenueInfo(
        name=f"Nautilus simulated {VENUE} ({'SimulatedExchange' if spec.mode == 'replay' else 'Sandbox execution client'})",
        fill_delay_ns=round(spec.venue.fill_delay_s * NANOS_PER_SECOND),
        fee_rate=float(instrument.taker_fee),
        model=spec.venue.model,
        fees=f"taker {float(instrument.taker_fee):.4%}, maker {float(instrument.maker_fee):.4%} ({source})",
        what="Market orders fill at the touch of the quote in force when they reach the venue: at once, or, in "
        "replay, the run's fill delay after they are sent (Nautilus' LatencyModel, with a time alert at that moment "
        "so the backtest clock stops there rather than at the next quote).",
        details={"oms_type": OMS_TYPE.name, "account_type": ACCOUNT_TYPE.name, "nautilus_log_level": NAUTILUS_LOG_LEVEL},
    )


def record_run(spec: RunSpec, config: Q50StrategyConfig, signal_rows: int) -> None:
    """``run.json``: the spec, the venue, the inputs' digests, the strategy configuration, the versions."""
    write_run_info(
        spec.platform_dir,
        spec=spec,
        venue=venue_info(spec),
        transport={"name": "in_process", "what": "signals read from the file by the strategy itself"},
        inputs={"quotes": file_digest(spec.quotes), "signals": {**file_digest(spec.signals), "rows": signal_rows}},
        platform={"strategy_config": json.loads(config.json())},
    )


def run(spec: RunSpec) -> RunResult:
    """Runs NautilusTrader in ``spec.mode`` and returns the run's summary."""
    if spec.mode not in MODES:
        raise InputError(f"unknown mode '{spec.mode}': expected one of {', '.join(MODES)}")
    config = strategy_config(spec)
    inputs = prepare_inputs(spec, QUOTE_BATCH_ROWS)
    record_run(spec, config, len(inputs.signals))
    journal = JournalWriter(spec.platform_dir, spec.run_id, PLATFORM, canonical_symbol(spec.instrument))
    try:
        return MODES[spec.mode](spec, inputs, journal, config)
    finally:
        journal.close()
        log.info("journal: %s", journal.path)
