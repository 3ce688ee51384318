"""Entry point of the Nautilus POC: ``run(options)`` replays or paper-trades live into ``run_dir/nautilus``.

Order matters: inputs are validated first (a user mistake is an :class:`InputError` before any
engine exists), then ``run.json`` records what is about to run, then the journal opens and the
chosen mode runs. The journal is closed (and converted to parquet) whatever happens; a run
restarted in the same folder continues the journal (its sequence numbers go on).
"""

from __future__ import annotations

import json
import logging

from evaluator.journal import JournalWriter
from evaluator.run_info import file_digest, write_run_info
from evaluator.run_options import RunOptions, RunResult
from poc_nautilus.config import NAUTILUS_LOG_LEVEL, PLATFORM, QUOTE_BATCH_ROWS, Q50StrategyConfig
from poc_nautilus.inputs import prepare_inputs
from poc_nautilus.live import run_live
from poc_nautilus.replay import run_replay
from poc_nautilus.venue import ACCOUNT_TYPE, OMS_TYPE, VENUE, venue_instrument
from shared_signals.errors import InputError

log = logging.getLogger(__name__)

MODES = {"replay": run_replay, "live": run_live}


def strategy_config(options: RunOptions) -> Q50StrategyConfig:
    return Q50StrategyConfig(
        instrument_id=venue_instrument(options.instrument).id, core=options.core, heartbeat_s=options.heartbeat_s
    )


def record_run(options: RunOptions, config: Q50StrategyConfig, signal_rows: int) -> None:
    """``run.json``: the run's options, the strategy configuration, the inputs' digests, the versions."""
    write_run_info(
        options.platform_dir,
        run={
            "run_id": options.run_id,
            "platform": PLATFORM,
            "mode": options.mode,
            "instrument": options.instrument,
            "speed": options.speed,
            "duration_ns": options.duration_ns,
            "heartbeat_s": options.heartbeat_s,
            "starting_quote": options.starting_quote,
            "starting_base": options.starting_base,
        },
        venue={
            "venue": str(VENUE),
            "oms_type": OMS_TYPE.name,
            "account_type": ACCOUNT_TYPE.name,
            "nautilus_log_level": NAUTILUS_LOG_LEVEL,
        },
        core=options.core,
        strategy_config=json.loads(config.json()),
        inputs={
            "quotes": file_digest(options.quotes),
            "signals": {**file_digest(options.signals), "rows": signal_rows},
        },
    )


def run(options: RunOptions) -> RunResult:
    """Runs NautilusTrader in ``options.mode`` and returns the run's summary."""
    if options.mode not in MODES:
        raise InputError(f"unknown mode '{options.mode}': expected one of {', '.join(MODES)}")
    config = strategy_config(options)
    inputs = prepare_inputs(options, QUOTE_BATCH_ROWS)
    record_run(options, config, len(inputs.signals))
    journal = JournalWriter(options.platform_dir, options.run_id, PLATFORM, str(config.instrument_id))
    try:
        return MODES[options.mode](options, inputs, journal, config)
    finally:
        journal.close()
        log.info("journal: %s", journal.path)
