"""What a sweep's cells found, as facts: each cell's recommendation, its overall scores and the
differences that settled a category, read from the cell's own ``metrics.json``; then, per value of
each axis (the instrument first), how often each column was recommended and its mean overall score."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import msgspec

from evaluator.analysis.confidence import Difference

METRICS_JSON = "metrics.json"
CELLS_DIR = "cells"


class CellState(msgspec.Struct, frozen=True):
    """How a cell ended, as the sweep writes it in ``cells/<cell>/state.json`` when it ends."""

    cell: str
    key: str
    """The hash of its inputs' contents and its settings: a rerun skips a cell done for the same key."""
    status: Literal["done", "failed"]
    settings: tuple[tuple[str, str], ...]
    run_id: str | None
    """The run folder's name inside the cell's folder (None: run-both wrote none)."""
    returncode: int
    error: str
    wall_s: float
    worker: str


@dataclass(frozen=True)
class CellResult:
    cell: str
    settings: dict[str, str]
    status: str
    recommended: str | None
    """A column, ``tie`` or ``none`` (None: the cell failed)."""
    overall: dict[str, float]
    settled: tuple[tuple[str, str], ...]
    """(figure, the column it favours) of each difference that settled its category."""
    error: str
    run_folder: Path | None


@dataclass(frozen=True)
class Ranking:
    axis: str
    value: str
    cells: int
    recommended: dict[str, int]
    mean_overall: dict[str, float]


@dataclass(frozen=True)
class SweepFacts:
    cells: list[CellResult]
    rankings: list[Ranking]
    axes: tuple[str, ...]
    """The axes that vary, in the grid's order."""

    @property
    def failed(self) -> list[CellResult]:
        return [c for c in self.cells if c.status != "done"]


def cell_result(sweep: Path, state: CellState) -> CellResult:
    settings = dict(state.settings)
    if state.status != "done" or state.run_id is None:
        return CellResult(state.cell, settings, state.status, None, {}, (), state.error or f"exit code {state.returncode}", None)
    folder = sweep / CELLS_DIR / state.cell / state.run_id
    verdict = json.loads((folder / METRICS_JSON).read_text())["verdict"]
    found = [Difference(**{k: v for k, v in d.items() if k != "judgement"}) for d in verdict["differences"]]  # judged again
    settled = tuple((str(d.figure), d.better) for d in found if d.category and d.better is not None)
    return CellResult(state.cell, settings, state.status, verdict["recommended"], verdict["overall"], settled, "", folder)


def sweep_facts(sweep: Path, states: list[CellState], axes: tuple[str, ...]) -> SweepFacts:
    cells = sorted((cell_result(sweep, s) for s in states), key=lambda c: c.cell)
    rankings = []
    for axis in ("instrument", *(a for a in axes if a != "instrument")):
        for value in dict.fromkeys(c.settings.get(axis) for c in cells if axis in c.settings):
            group = [c for c in cells if c.settings.get(axis) == value and c.status == "done"]
            names = sorted({n for c in group for n in c.overall})
            mean = {n: sum(c.overall[n] for c in group if n in c.overall) / max(1, sum(n in c.overall for c in group))
                    for n in names}
            rankings.append(Ranking(axis, value, len(group), dict(Counter(c.recommended for c in group)), mean))
    return SweepFacts(cells, rankings, axes)
