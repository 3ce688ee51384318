"""The sweep folder: one folder per cell, its run folder and its state, written as each cell ends.

``cells/<cell>/state.json`` says how the cell ended and for which key (the hash of its inputs' contents
and its settings): a sweep run again on the same grid and folder skips each cell whose state is
``done`` for the same key and whose run folder is still there, and runs the rest.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import msgspec

from evaluator.analysis.sweep import CELLS_DIR, CellState
from evaluator.sweep.grid import Cell
from evaluator.sweep.task import CellOutcome, InputRef

STATE_JSON = "state.json"
CORE_DIR = "core"


def cell_key(cell: Cell, refs: tuple[InputRef | None, ...]) -> str:
    """The cell's identity across sweeps: its inputs by content, its options and overrides."""
    text = json.dumps([[r.sha256 if r else None for r in refs], list(cell.options), cell.core], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def cell_dir(sweep: Path, cell: Cell) -> Path:
    return sweep / CELLS_DIR / cell.name


def read_state(sweep: Path, cell: Cell, key: str) -> CellState | None:
    """The cell's state for this key, however it ended (None: none, or for other inputs or settings)."""
    try:
        state = msgspec.json.decode((cell_dir(sweep, cell) / STATE_JSON).read_bytes(), type=CellState)
    except (FileNotFoundError, msgspec.DecodeError):
        return None
    return state if state.key == key else None


def finished(sweep: Path, cell: Cell, key: str) -> CellState | None:
    """The cell's state when it is done for this key and its run folder is still there."""
    state = read_state(sweep, cell, key)
    if state is None or state.status != "done" or state.run_id is None:
        return None
    return state if (cell_dir(sweep, cell) / state.run_id).is_dir() else None


def record(sweep: Path, cell: Cell, key: str, outcome: CellOutcome) -> CellState:
    """Unpacks the cell's run folder into its folder, replacing an earlier one, then writes its state
    (last, so a crash between the two leaves the cell to run again)."""
    folder = cell_dir(sweep, cell)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    run_id = None
    if outcome.archive:
        with tarfile.open(fileobj=io.BytesIO(outcome.archive), mode="r") as tar:
            tar.extractall(folder, filter="data")
            run_id = tar.getnames()[0].split("/")[0]
    status = "done" if outcome.returncode == 0 and run_id is not None else "failed"
    state = CellState(cell.name, key, status, cell.settings, run_id, outcome.returncode, outcome.error, outcome.wall_s,
                      outcome.worker)
    partial = folder / f"{STATE_JSON}.part"
    partial.write_bytes(msgspec.json.encode(state))
    partial.replace(folder / STATE_JSON)
    return state


def core_file(sweep: Path, cell: Cell) -> Path | None:
    """The cell's core-config overrides as the file it runs with (None: none), named by content."""
    if not cell.core:
        return None
    data = json.dumps(cell.core, sort_keys=True).encode()
    path = sweep / CORE_DIR / f"{hashlib.sha256(data).hexdigest()[:16]}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    return path
