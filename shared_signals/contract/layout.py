"""The names of a run folder's files, written by the platforms and the harness and read by the analysis.

```
RUN_DIR/
  inputs.json                 what was run (the harness)
  reference/                  the shared decision on an idealised venue, per platform; marks; schedule
  <platform>/
    spec.json                 the run spec the platform process was given
    run.json                  what the platform ran: spec, venue, transport, inputs, versions
    events.jsonl / .parquet   the journal
    <component>/events.jsonl  journals of the platform's other processes (Hummingbot's provider)
    result.json               written at the end of a finished run
    exit.json                 the process' exit (the supervisor)
    resources.jsonl / .parquet  psutil samples (the supervisor)
    process.log               the process' output
```
"""

from pathlib import Path

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
RUN_MARKERS = (INPUTS_JSON, SPEC_JSON, EVENTS_JSONL)
"""Files whose presence says a folder already holds a run (of the harness, or of one platform)."""
REFERENCE_DIR = "reference"
REFERENCE_ORIGIN_JSON = "origin.json"
"""Who wrote ``reference/``: its ``written_by`` is one of the two below."""
WRITTEN_BY_RUN = "run"
REBUILT_BY_REPORT = "report"
"""A later ``poc-eval report`` rebuilt a reference the run never wrote (its harness was killed)."""
MARKS_PARQUET = "marks.parquet"
SCHEDULE_PARQUET = "signals.parquet"
"""Every signal of the inputs (id, time): what was scheduled, for the soak's per-hour counts."""


def holds_a_run(folder: Path) -> bool:
    """Whether ``folder`` already holds a run: a new one written there would mix with it (a journal
    appended to another run's), so it is refused."""
    return folder.is_dir() and any(
        any(folder.glob(pattern)) for marker in RUN_MARKERS for pattern in (marker, f"*/{marker}")
    )
