"""The names of a run folder's files, written by the platforms and the harness and read by the analysis.

```
RUN_DIR/
  inputs.json                 what was run (the harness)
  reference/                  the shared decision on an idealised venue, per platform; marks; schedule
  <column>/                   one per column: a platform, or a named variant of one
    spec.json                 the run spec the platform process was given
    run.json                  what the platform ran: spec, venue, transport, inputs, versions
    events.jsonl / .parquet   the journal
    <component>/events.jsonl  journals of the platform's other processes (Hummingbot's provider)
    result.json               written at the end of a finished run
    own_figures.json          the platform's own statistics, where it computes any
    timeline.json             live: the wall time at which each market time was shown
    exit.json                 the process' exit (the supervisor)
    resources.jsonl / .parquet  psutil samples (the supervisor)
    process.log               the process' output
```
"""

import os
from pathlib import Path

from shared_signals.errors import InputError

EVENTS_JSONL = "events.jsonl"
EVENTS_PARQUET = "events.parquet"
SPEC_JSON = "spec.json"
RUN_JSON = "run.json"
RESULT_JSON = "result.json"
EXIT_JSON = "exit.json"
PROCESS_LOG = "process.log"
RESOURCES_JSONL = "resources.jsonl"
RESOURCES_PARQUET = "resources.parquet"
INPUTS_JSON = "inputs.json"
OWN_FIGURES_JSON = "own_figures.json"
TIMELINE_JSON = "timeline.json"
"""A live column's wall ↔ market time anchor (:mod:`~shared_signals.contract.timeline`)."""
"""The figures a platform computes about its own run (:mod:`~shared_signals.contract.own_figures`)."""
RUN_MARKERS = (INPUTS_JSON, SPEC_JSON, EVENTS_JSONL)
"""Files whose presence says a folder already holds a run (of the harness, or of one platform)."""
REFERENCE_DIR = "reference"
REFERENCE_ORIGIN_JSON = "origin.json"
"""Who wrote ``reference/``: its ``written_by`` is one of the two below."""
WRITTEN_BY_RUN = "run"
REBUILT_BY_REPORT = "report"
"""A later ``poc-eval report`` rebuilt a reference the run never wrote (its harness was killed)."""
IDEAL_REFERENCE = "ideal"
"""The reference replay every platform is scored against: no fill delay, the run's fee
(``reference/ideal.parquet``, beside one per platform with that platform's venue)."""
MARKS_PARQUET = "marks.parquet"
"""The mark prices (ts_ns, mid): the last mid of each ``MARK_INTERVAL``, stamped with the interval's
start, and the very last quote's mid at its own time (the mark every PnL figure ends on)."""
MARK_INTERVAL = "1min"
SCHEDULE_PARQUET = "signals.parquet"
"""Every signal of the inputs (id, time): what was scheduled, for the soak's per-hour counts."""
TOUCH_PARQUET = "touch.parquet"
"""The quotes (ts_ns, bid, ask) the execution costs and the attribution price against: the first at or
after each signal's time (its arrival), and the one in force at each signal's time and at each order's
and fill's market time."""
RESERVED_NAMES = (REFERENCE_DIR, "charts", "inputs", "fault_inputs", "looped_inputs", IDEAL_REFERENCE, "marks", "signals",
                  "touch", "origin")
"""Names no column may take: the run folder's own folders, and the files of ``reference/`` (which hold
one replay per column beside these)."""


def refuse_a_used_folder(folder: Path) -> None:
    """One :class:`InputError` line when ``folder`` already holds a run: a new one written there would
    mix with it (a journal appended to another run's)."""
    if folder.is_dir() and any(any(folder.glob(p)) for marker in RUN_MARKERS for p in (marker, f"*/{marker}")):
        raise InputError("already holds a run: a new run would mix with it; choose another --out", folder)


def claim_run_folder(folder: Path) -> Path:
    """``folder``, created for a new run; one :class:`InputError` line when it already holds a run or
    cannot be written (a file in its place, a read-only or full file system, no permission)."""
    refuse_a_used_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write the run folder ({exc.strerror or exc})", folder) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("cannot write the run folder (no permission)", folder)
    return folder


def reference_written(run_dir: Path) -> bool:
    """Whether the run folder holds its reference replay (its marks are written last but one)."""
    return (run_dir / REFERENCE_DIR / MARKS_PARQUET).exists()
