"""Everything a finished (or crashed) run left on disk, loaded for the report.

A run folder holds ``inputs.json`` (what was run), one folder per platform (journal, resources,
exit, result, run.json) and ``reference/`` (the reference replay and the mark prices). The report
is rebuilt from these files alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from evaluator.journal import EVENTS_JSONL, read_journal
from evaluator.resources import read_resources
from evaluator.run_info import RUN_JSON, read_json_or_none
from evaluator.run_options import PLATFORMS, read_result
from evaluator.supervisor import EXIT_JSON
from shared_signals.errors import InputError

INPUTS_JSON = "inputs.json"
REFERENCE_DIR = "reference"
MARKS_PARQUET = "marks.parquet"
SCHEDULE_PARQUET = "signals.parquet"
"""Every signal of the inputs (id, time): what was scheduled, for the soak's per-hour counts."""


def find_key(tree: object, key: str) -> object | None:
    """First value stored under ``key`` anywhere in a nested dict/list (run.json layouts differ per platform)."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        tree = list(tree.values())
    if isinstance(tree, list):
        for item in tree:
            found = find_key(item, key)
            if found is not None:
                return found
    return None


@dataclass
class PlatformRecord:
    name: str
    folder: Path
    events: pd.DataFrame
    torn_lines: int
    resources: pd.DataFrame
    exit: dict | None
    result: dict | None
    info: dict | None

    @property
    def present(self) -> bool:
        return self.folder.exists()

    @property
    def horizon_ns(self) -> int | None:
        """The latest market time the platform reached."""
        ts = self.events["sim_ts_ns"].dropna()
        return int(ts.max()) if len(ts) else None

    @property
    def fill_delay_ns(self) -> int:
        value = find_key(self.info or {}, "fill_delay_ns")
        return int(value) if value is not None else 0


def load_platform(run_dir: Path, name: str) -> PlatformRecord:
    folder = run_dir / name
    parts = [read_journal(folder)] + [read_journal(sub.parent) for sub in sorted(folder.glob(f"*/{EVENTS_JSONL}"))]
    frames = [p.events for p in parts if len(p.events)]
    events = pd.concat(frames, ignore_index=True) if frames else parts[0].events
    events = events.sort_values(["wall_ns", "seq"], kind="stable").reset_index(drop=True)
    return PlatformRecord(
        name=name,
        folder=folder,
        events=events,
        torn_lines=sum(p.torn_lines for p in parts),
        resources=read_resources(folder),
        exit=read_json_or_none(folder / EXIT_JSON),
        result=read_result(folder),
        info=read_json_or_none(folder / RUN_JSON),
    )


@dataclass
class RunFolder:
    path: Path
    inputs: dict
    platforms: dict[str, PlatformRecord]
    reference: dict[str, pd.DataFrame]
    marks: pd.DataFrame
    schedule: pd.DataFrame

    @property
    def run_id(self) -> str:
        return str(self.inputs.get("run_id", self.path.name))

    @property
    def has_reference(self) -> bool:
        return (self.path / REFERENCE_DIR / MARKS_PARQUET).exists()

    @property
    def horizon_ns(self) -> int | None:
        """The latest market time any platform reached."""
        horizons = [r.horizon_ns for r in self.platforms.values() if r.horizon_ns is not None]
        return max(horizons) if horizons else None

    @classmethod
    def load(cls, path: str | Path) -> RunFolder:
        path = Path(path)
        inputs = read_json_or_none(path / INPUTS_JSON)
        if inputs is None:
            raise InputError(f"not a run folder: no readable {INPUTS_JSON}", path)
        platforms = {name: load_platform(path, name) for name in PLATFORMS if (path / name).exists()}
        return cls(path, inputs, platforms, {}, pd.DataFrame(), pd.DataFrame()).with_reference()

    def with_reference(self) -> RunFolder:
        """This run with its ``reference/`` files read (again): after a reference is restored, the
        journals need not be parsed a second time."""
        reference_dir = self.path / REFERENCE_DIR
        reference = {
            p.stem: pd.read_parquet(p) for p in sorted(reference_dir.glob("*.parquet")) if p.name not in (MARKS_PARQUET, SCHEDULE_PARQUET)
        }
        marks_path = reference_dir / MARKS_PARQUET
        marks = pd.read_parquet(marks_path) if marks_path.exists() else pd.DataFrame(columns=["ts_ns", "mid"])
        schedule_path = reference_dir / SCHEDULE_PARQUET
        schedule = pd.read_parquet(schedule_path) if schedule_path.exists() else pd.DataFrame(columns=["signal_id", "ts_ns"])
        return replace(self, reference=reference, marks=marks, schedule=schedule)
