"""The sweep's client: its cells on a Dask cluster, each cell's state written as it ends.

The cluster is an in-process ``LocalCluster`` sized to this machine, or an existing one named by its
scheduler's address. Dask schedules, retries and moves the cells: a worker lost mid-cell has its cell
run again elsewhere (the scheduler's own rule). This module only submits, collects and writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from distributed import Client, LocalCluster, wait

from evaluator.sweep.grid import Cell
from evaluator.sweep.state import CellState, record
from evaluator.sweep.task import DATASET_PREFIX, CellOutcome, CellTask, InputRef, run_cell
from shared_signals.errors import InputError

CONNECT_TIMEOUT_S = 10
POLL_S = 1.0
CELL_RETRIES = 1
"""Runs of a cell whose task raised (not a failed run-both, which is a result): once more elsewhere."""


@dataclass(frozen=True)
class Planned:
    cell: Cell
    key: str
    task: CellTask


@dataclass
class SweepProgress:
    """What the sweep has done so far, for its progress display."""

    total: int
    done: int = 0
    failed: int = 0
    running: list[str] = field(default_factory=list)


def local_workers() -> int:
    """One worker per core: each cell's platforms are processes of their own, so a worker is one slot."""
    return max(1, os.cpu_count() or 1)


def connect(scheduler: str | None, workers: int) -> tuple[Client, LocalCluster | None]:
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s"), None
    except (OSError, TimeoutError) as exc:
        raise InputError(f"the Dask scheduler at {scheduler} does not answer ({type(exc).__name__}: {exc})".splitlines()[0],
                         None, "--scheduler") from None


def publish_inputs(client: Client, refs: set[InputRef]) -> None:
    """Each input, once, as a dataset named by its hash: fetched only by a worker that lacks the file."""
    published = set(client.list_datasets())
    for ref in refs:
        name = DATASET_PREFIX + ref.sha256
        if name not in published:
            client.publish_dataset(**{name: client.scatter(Path(ref.path).read_bytes(), hash=False)})


def run_cells(client: Client, sweep: Path, planned: list[Planned], show: Callable[[SweepProgress], None]) -> list[CellState]:
    """Every planned cell, each recorded as it ends; Ctrl-C cancels the rest (and is raised on)."""
    by_key = {}
    for p in planned:
        future = client.submit(run_cell, p.task, key=f"{p.cell.name}-{p.key[:16]}", pure=False, retries=CELL_RETRIES)
        by_key[future.key] = (future, p)
    progress = SweepProgress(len(planned))
    states: list[CellState] = []
    remaining = {future for future, _ in by_key.values()}
    try:
        while remaining:
            try:
                wait(list(remaining), timeout=POLL_S, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
            for future in [f for f in remaining if f.done()]:
                remaining.discard(future)
                p = by_key[future.key][1]
                state = record(sweep, p.cell, p.key, _outcome(future, p))
                states.append(state)
                progress.done += state.status == "done"
                progress.failed += state.status == "failed"
            processing = {key for keys in client.processing().values() for key in keys}
            progress.running = [by_key[k][1].cell.name for k in by_key if k in processing]
            show(progress)
    except KeyboardInterrupt:
        client.cancel(list(remaining))
        raise
    return states


def _outcome(future, planned: Planned) -> CellOutcome:
    if future.status == "finished":
        return future.result()
    return CellOutcome(planned.cell.name, -1, f"the cell's task failed on the cluster: {future.exception()!r}"[:500], b"", 0.0, "")
