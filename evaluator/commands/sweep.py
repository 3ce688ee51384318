"""``poc-eval sweep GRID.toml``: a grid of ordinary ``run-both`` comparisons on a Dask cluster, one
``sweep_report.md`` over them.

Every cell is checked before any runs, by run-both's own parser and input checks (a bad cell is one
line naming it). Cells done before for the same inputs and settings are skipped; the rest run, each
recorded as it ends. Ctrl-C writes the report of what finished.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evaluator.analysis.sweep import sweep_facts
from evaluator.commands import run_both
from evaluator.commands.exit_codes import EXIT_INTERRUPTED, EXIT_PLATFORM_CRASHED
from evaluator.commands.inputs import check_inputs
from evaluator.commands.one_line import OneLineParser
from evaluator.console import err, out
from evaluator.report.sweep import write_sweep_report
from evaluator.sweep.grid import Cell, Grid, read_grid
from evaluator.sweep.runner import Planned, SweepProgress, connect, local_workers, publish_inputs, run_cells
from evaluator.sweep.state import cell_key, core_file, finished, read_state
from evaluator.sweep.task import CellTask, InputRef, sha256_of
from shared_signals.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sweep",
        help="run a grid of comparisons (instruments × settings) on a Dask cluster and rank the platforms across it",
        description="Runs each cell of GRID.toml (an ordinary run-both) on an in-process Dask LocalCluster, or on an "
        "existing cluster with --scheduler, into OUT/cells/<cell>/, and writes OUT/sweep_report.md. Run again on "
        "the same grid and folder, it skips the cells already done for the same inputs and settings.",
    )
    parser.add_argument("grid", type=Path, help="the grid file (TOML; paths in it relative to its folder)")
    parser.add_argument("--out", type=Path, default=None, help="the sweep folder (default reports/sweep-<grid name>)")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="an existing Dask scheduler whose workers have this project installed (default: a local cluster)")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"the local cluster's worker processes (default one per core: {local_workers()})")
    parser.set_defaults(handler=handle)


def check_cell(cell: Cell, core: Path | None, grid: Grid) -> None:
    """The cell's command line through run-both's parser and input checks, as its own run would meet them."""
    parser = OneLineParser(prog="poc-eval")
    run_both.register(parser.add_subparsers())
    argv = ["run-both", "--quotes", str(cell.quotes), "--signals", str(cell.signals), *cell.options]
    if core is not None:
        argv += ["--core-config", str(core)]
    try:
        check_inputs(parser.parse_args(argv), (cell.quotes, cell.signals), Path(), "sweep-check")
    except InputError as exc:
        raise InputError(f"{cell.name} ({cell.words()}): {exc}", grid.path) from None


def plan(grid: Grid, sweep: Path) -> tuple[list[Planned], list]:
    """The cells to run (each checked) and the states of those already done."""
    refs: dict[Path, InputRef] = {}

    def ref(path: Path | None) -> InputRef | None:
        if path is None:
            return None
        if path not in refs:
            refs[path] = InputRef(sha256_of(path), path.suffix, str(path.resolve()))
        return refs[path]

    todo, done = [], []
    for cell in grid.cells:
        core = core_file(sweep, cell)
        check_cell(cell, core, grid)
        inputs = (ref(cell.quotes), ref(cell.signals), ref(core))
        key = cell_key(cell, inputs)
        state = finished(sweep, cell, key)
        if state is not None:
            done.append(state)
        else:
            todo.append(Planned(cell, key, CellTask(cell.name, *inputs, cell.options)))
    return todo, done


def progress_words(progress: SweepProgress) -> str:
    return (f"done {progress.done} · failed {progress.failed} · running {len(progress.running)}: "
            f"{', '.join(progress.running) or 'none'}")


def handle(args: argparse.Namespace) -> int:
    grid = read_grid(args.grid)
    sweep = args.out or Path("reports") / f"sweep-{args.grid.stem}"
    sweep.mkdir(parents=True, exist_ok=True)
    todo, done = plan(grid, sweep)
    if not todo:
        out.print(f"all {len(done)} cell(s) already done for these inputs and settings: nothing to run")
    states, interrupted = list(done), False
    if todo:
        if done:
            err.print(f"{len(done)} cell(s) already done for these inputs and settings: skipped")
        client, cluster = connect(args.scheduler, args.workers or local_workers())
        try:
            if args.scheduler:
                publish_inputs(client, {t.task.quotes for t in todo} | {t.task.signals for t in todo}
                               | {t.task.core for t in todo if t.task.core is not None})
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
                cells = bar.add_task(progress_words(SweepProgress(len(todo))), total=len(todo))
                states += run_cells(client, sweep, todo, lambda p: bar.update(
                    cells, completed=p.done + p.failed, description=progress_words(p)))
        except KeyboardInterrupt:
            interrupted = True
            states = list(done) + _recorded(sweep, todo)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    report = write_sweep_report(sweep, sweep_facts(sweep, states, grid.axes), grid.path, interrupted)
    out.print(f"sweep report: [bold]{report}[/]")
    if interrupted:
        return EXIT_INTERRUPTED
    return 0 if all(s.status == "done" for s in states) else EXIT_PLATFORM_CRASHED


def _recorded(sweep: Path, todo: list[Planned]) -> list:
    """After Ctrl-C: the states the interrupted cells wrote before it (each is written as its cell ends)."""
    return [state for p in todo if (state := read_state(sweep, p.cell, p.key)) is not None]
