"""Everything a finished (or crashed) run left on disk, loaded for the report: the first stage of its
pipeline (load → per-column figures → pairwise figures → verdict → render).

A run folder holds ``inputs.json`` (what was run: a typed :class:`RunRecord`), one folder per column
(spec, journal, resources, exit, result, run.json) and ``reference/`` (the reference replays and the
mark prices). The report is rebuilt from these files alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import msgspec
import pandas as pd

from shared_signals.contract.journal import read_journal
from shared_signals.contract.layout import (
    EVENTS_JSONL,
    EXIT_JSON,
    IDEAL_REFERENCE,
    MARKS_PARQUET,
    REFERENCE_DIR,
    REFERENCE_ORIGIN_JSON,
    RESOURCES_JSONL,
    RESULT_JSON,
    RUN_JSON,
    SCHEDULE_PARQUET,
    TOUCH_PARQUET,
    reference_written,
)
from shared_signals.contract.own_figures import OwnFigures, read_own_figures
from shared_signals.contract.record import ColumnRecord, RunRecord, read_record
from shared_signals.contract.run_info import read_json_or_none
from shared_signals.contract.spec import RunSpec
from shared_signals.contract.timeline import LiveTimeline, read_timeline

RESOURCE_COLUMNS = ["wall_ns", "rss_mb", "cpu_pct", "threads", "open_files", "processes"]


def read_resources(folder: Path) -> pd.DataFrame:
    """The supervisor's psutil samples of one platform, from the JSONL it flushes per sample (so a
    crash keeps them); torn lines skipped, none when it ran outside the supervisor."""
    path = folder / RESOURCES_JSONL
    records = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return pd.DataFrame.from_records(records, columns=RESOURCE_COLUMNS)


RESULT_FIELDS = ("quotes", "orders", "fills", "rejections", "wall_s")
"""What a ``result.json`` must hold to count: one a crash tore or a hand spoiled reads as absent."""


def read_result(folder: Path) -> dict | None:
    """``result.json`` (written at the end of a finished run), or None when it is absent or unusable."""
    result = read_json_or_none(folder / RESULT_JSON)
    if result is None or not all(isinstance(result.get(name), (int, float)) for name in RESULT_FIELDS):
        return None
    return result


@dataclass
class ColumnRun:
    """What one column's processes left in its folder."""

    name: str
    column: ColumnRecord
    folder: Path
    events: pd.DataFrame
    torn_lines: int
    resources: pd.DataFrame
    exit: dict | None
    result: dict | None
    info: dict | None
    own_figures: OwnFigures | None = None
    """What the platform computed about its own run, where it computes anything."""
    timeline: LiveTimeline | None = None
    """Live: the wall time at which each market time was shown."""

    @property
    def present(self) -> bool:
        return self.folder.exists()

    @property
    def horizon_ns(self) -> int | None:
        """The latest market time the platform reached."""
        ts = self.events["sim_ts_ns"].dropna()
        return int(ts.max()) if len(ts) else None

    @property
    def venue(self) -> dict:
        """``run.json``'s venue section (every platform writes the same one)."""
        return (self.info or {}).get("venue") or {}

    @property
    def fill_delay_ns(self) -> int:
        return int(self.venue.get("fill_delay_ns") or 0)

    @property
    def set_fill_delay_s(self) -> float:
        """The fill delay the run set for this column (its spec's venue); its venue may fill later
        (``fill_delay_ns``: live Hummingbot fills one tick after the order at the earliest)."""
        return float(((self.info or {}).get("spec") or {}).get("venue", {}).get("fill_delay_s") or 0.0)

    @property
    def fee_rate(self) -> float:
        return float(self.venue.get("fee_rate") or 0.0)

    @property
    def transport(self) -> dict:
        """``run.json``'s transport section: how signals reached the strategy."""
        return (self.info or {}).get("transport") or {}


def load_column(run_dir: Path, column: ColumnRecord) -> ColumnRun:
    name = column.name
    folder = run_dir / name
    parts = [read_journal(folder)] + [read_journal(sub.parent) for sub in sorted(folder.glob(f"*/{EVENTS_JSONL}"))]
    frames = [p.events for p in parts if len(p.events)]
    events = pd.concat(frames, ignore_index=True) if frames else parts[0].events
    events = events.sort_values(["wall_ns", "seq"], kind="stable").reset_index(drop=True)
    return ColumnRun(
        name=name,
        column=column,
        folder=folder,
        events=events,
        torn_lines=sum(p.torn_lines for p in parts),
        resources=read_resources(folder),
        exit=read_json_or_none(folder / EXIT_JSON),
        result=read_result(folder),
        info=read_json_or_none(folder / RUN_JSON),
        own_figures=read_own_figures(folder),
        timeline=read_timeline(folder),
    )


@dataclass
class RunFolder:
    path: Path
    record: RunRecord
    columns: dict[str, ColumnRun]
    """Per column name, in the order of the run's ``--platforms``."""
    reference: dict[str, pd.DataFrame]
    """Per column name the reference replay on its venue, and the ideal one (``IDEAL_REFERENCE``)."""
    marks: pd.DataFrame
    schedule: pd.DataFrame
    touch: pd.DataFrame
    """ts_ns, bid, ask: the quotes at the signals' arrivals and in force at the fills (none in a run
    written before they were recorded)."""

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @property
    def spec(self) -> RunSpec:
        """The baseline column's run spec, as ``inputs.json`` recorded it: what every column shares."""
        return self.record.run_spec

    @property
    def baseline(self) -> str:
        return self.record.baseline

    @property
    def has_reference(self) -> bool:
        return reference_written(self.path)

    @property
    def reference_origin(self) -> dict:
        """Who wrote ``reference/``: the run itself, or a later report that rebuilt it."""
        return read_json_or_none(self.path / REFERENCE_DIR / REFERENCE_ORIGIN_JSON) or {}

    @property
    def horizon_ns(self) -> int | None:
        """The latest market time any platform reached."""
        horizons = [r.horizon_ns for r in self.columns.values() if r.horizon_ns is not None]
        return max(horizons) if horizons else None

    @classmethod
    def load(cls, path: str | Path) -> RunFolder:
        path = Path(path)
        record = read_record(path)
        columns = {c.name: load_column(path, c) for c in record.columns if (path / c.name).exists()}
        return cls(path, record, columns, {}, pd.DataFrame(), pd.DataFrame(), pd.DataFrame()).with_reference()

    def select(self, names: list[str], baseline: str) -> RunFolder:
        """This run seen as a comparison of ``names`` alone (in that order), against ``baseline``: what
        the report analyses of a ``--sensitivity`` run, once for the comparison and once per setting."""
        record = msgspec.structs.replace(self.record, columns=tuple(self.record.column(n) for n in names), baseline=baseline,
                                         sensitivity=())
        columns = {n: self.columns[n] for n in names if n in self.columns}
        reference = {k: v for k, v in self.reference.items() if k in names or k == IDEAL_REFERENCE}
        return replace(self, record=record, columns=columns, reference=reference)

    def with_machine_of(self, stand_ins: dict[str, str]) -> RunFolder:
        """This run with each column of ``stand_ins`` (column → the column it stands in for) given the
        other's machine measurements (its resource samples and its wall time): a ``--sensitivity``
        setting's columns ran several at once after the comparison's, and the settings tried change
        what a platform does in market time, not what it costs the machine."""
        columns = dict(self.columns)
        for name, original in stand_ins.items():
            if name not in columns or original not in columns:
                continue
            own, measured = columns[name], columns[original]
            result = None if own.result is None or measured.result is None else {**own.result, "wall_s": measured.result["wall_s"]}
            columns[name] = replace(own, resources=measured.resources, result=result)
        return replace(self, columns=columns)

    def with_reference(self) -> RunFolder:
        """This run with its ``reference/`` files read (again): after a reference is restored, the
        journals need not be parsed a second time."""
        reference_dir = self.path / REFERENCE_DIR
        reference = {
            p.stem: pd.read_parquet(p) for p in sorted(reference_dir.glob("*.parquet"))
            if p.name not in (MARKS_PARQUET, SCHEDULE_PARQUET, TOUCH_PARQUET)
        }
        marks_path = reference_dir / MARKS_PARQUET
        marks = pd.read_parquet(marks_path) if marks_path.exists() else pd.DataFrame(columns=["ts_ns", "mid"])
        schedule_path = reference_dir / SCHEDULE_PARQUET
        schedule = pd.read_parquet(schedule_path) if schedule_path.exists() else pd.DataFrame(columns=["signal_id", "ts_ns"])
        touch_path = reference_dir / TOUCH_PARQUET
        touch = pd.read_parquet(touch_path) if touch_path.exists() else pd.DataFrame(columns=["ts_ns", "bid", "ask"])
        return replace(self, reference=reference, marks=marks, schedule=schedule, touch=touch)
