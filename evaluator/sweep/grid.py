"""The grid file of ``poc-eval sweep``: what it may hold, decoded strictly, and the cells it spans.

A cell is an ordinary ``run-both``: its command line is built from the grid's axes (each a run-both
option) and checked, before anything runs, by the same parser and input checks a ``run-both`` of its
own would meet. The core-config overrides of a cell are written as the core config file it runs with.
Paths in the grid file are relative to its folder.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from pathlib import Path
from typing import Literal

import msgspec

from shared_signals.errors import InputError

MAX_CELLS = 512
"""More cells than a few machines finish in a day of replays: a grid this large is a typo."""
MAX_GRID_BYTES = 1_000_000


class Axes(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The grid's axes: the cells are their product. ``instrument`` is required; each other axis is a
    ``run-both`` option, left at run-both's default when absent."""

    instrument: list[str]
    mode: list[Literal["replay", "live"]] | None = None
    platforms: list[list[str]] | None = None
    tick: list[str] | None = None
    fill_delay: list[str] | None = None
    max_quote_age: list[str] | None = None
    transport: list[Literal["file", "mqtt"]] | None = None
    decision_rule: list[Literal["shared", "ai_livestream"]] | None = None
    venue_model: list[Literal["matched", "native"]] | None = None
    order_type: list[Literal["market", "limit"]] | None = None


FLAGS = {"mode": "--mode", "tick": "--tick-size", "fill_delay": "--fill-delay", "max_quote_age": "--max-quote-age",
         "transport": "--transport", "decision_rule": "--decision-rule", "venue_model": "--venue-model",
         "order_type": "--order-type", "platforms": "--platforms"}
"""Each axis's run-both option."""


class GridFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    signals: str
    quotes: dict[str, str]
    grid: Axes
    core: dict[str, list[bool | int | float | str]] = {}
    duration: str | None = None
    speed: str | None = None


class Cell(msgspec.Struct, frozen=True):
    """One run of the grid: its settings (axis → value, in the grid's order) and its command line."""

    index: int
    settings: tuple[tuple[str, str], ...]
    instrument: str
    quotes: Path
    signals: Path
    options: tuple[str, ...]
    """run-both's options beyond the files, the core config and ``--out``."""
    core: dict
    """The core-config overrides, nested as a core config file holds them (empty: none)."""

    @property
    def name(self) -> str:
        return f"cell-{self.index:03d}"

    def words(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.settings)


class Grid(msgspec.Struct, frozen=True):
    path: Path
    cells: tuple[Cell, ...]
    axes: tuple[str, ...]
    """The axes that vary across the cells (more than one value), in the grid's order."""


def read_grid(path: Path) -> Grid:
    """The grid file, every key checked; one line naming the file and the key for any mistake."""
    raw = _toml(path)
    try:
        grid = msgspec.convert(raw, GridFile, strict=True)
    except msgspec.ValidationError as exc:
        raise InputError(_where(str(exc)), path) from None
    folder = path.parent
    quotes = {symbol: folder / file for symbol, file in grid.quotes.items()}
    axes = {name: value for name in Axes.__struct_fields__ if (value := getattr(grid.grid, name)) is not None}
    axes.update({f"core.{key}": values for key, values in grid.core.items()})
    for name, values in axes.items():
        if not values:
            raise InputError(f"grid axis {name} is empty: give it at least one value", path)
    for symbol in grid.grid.instrument:
        if symbol not in quotes:
            raise InputError(f"instrument {symbol} has no quote file: add {symbol} = \"FILE\" under [quotes]", path)
    for symbol in quotes:
        if symbol not in grid.grid.instrument:
            raise InputError(f"quotes.{symbol}: not an instrument of grid.instrument", path)
    count = 1
    for values in axes.values():
        count *= len(values)
    if count > MAX_CELLS:
        raise InputError(f"the grid has {count:,} cells, more than {MAX_CELLS}: split it", path)
    fixed = [*(("--duration", grid.duration) if grid.duration else ()), *(("--speed", grid.speed) if grid.speed else ())]
    cells = tuple(_cell(i, dict(zip(axes, values, strict=True)), quotes, folder / grid.signals, fixed)
                  for i, values in enumerate(itertools.product(*axes.values())))
    return Grid(path, cells, tuple(name for name, values in axes.items() if len(values) > 1))


def _cell(index: int, chosen: dict, quotes: dict[str, Path], signals: Path, fixed: list[str]) -> Cell:
    options, core, settings = list(fixed), {}, []
    for name, value in chosen.items():
        if name.startswith("core."):
            _nest(core, name.removeprefix("core."), value)
            settings.append((name, json.dumps(value)))
        elif name == "platforms":
            options += [FLAGS[name], *value]
            settings.append((name, "+".join(value)))
        elif name != "instrument":
            options += [FLAGS[name], value]
            settings.append((name, value))
        else:
            settings.append((name, value))
    instrument = chosen["instrument"]
    options += ["--instrument", instrument]
    return Cell(index, tuple(settings), instrument, quotes[instrument], signals, tuple(options), core)


def _nest(tree: dict, dotted: str, value: object) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


def _toml(path: Path) -> dict:
    if not path.is_file():
        raise InputError("grid file not found (expected a regular file)" if not path.exists() else "not a regular file", path)
    if path.stat().st_size > MAX_GRID_BYTES:
        raise InputError(f"grid file larger than {MAX_GRID_BYTES:,} bytes", path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", path) from None


def _where(message: str) -> str:
    """msgspec's message with its ``$.grid.x`` path as the key's name."""
    text, _, at = message.partition(" - at `")
    key = at.rstrip("`").removeprefix("$.").replace("[", " item ").replace("]", "")
    if text.startswith("Object contains unknown field"):
        return f"unknown key {key}{'.' if key else ''}{text.split('`')[1]}" if key else f"unknown key {text.split('`')[1]}"
    return f"{key}: {text[0].lower()}{text[1:]}" if key else text
