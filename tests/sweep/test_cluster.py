"""``poc-eval sweep`` on a real Dask cluster the test starts on 127.0.0.1 (a scheduler and two worker
processes), and on the default local cluster: the same report and the same trades per cell; a worker
killed mid-cell, whose cell runs again elsewhere; a rerun that runs nothing, and one that reruns the
one cell whose folder was deleted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from distributed import Client

from tests.sweep.test_grid import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).with_name("dask")
CELLS = ("cell-000", "cell-001", "cell-002", "cell-003")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers (each under its nanny), stopped at the end."""
    folder = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "Q50_SWEEP_CACHE": str(folder / "cache")}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = (folder / "cluster.log").open("w")
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client = Client(address, timeout="2s")
                break
            except OSError:
                assert time.monotonic() < deadline, (folder / "cluster.log").read_text()[-2000:]
        processes += [subprocess.Popen([DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                        "--host", "127.0.0.1", "--name", f"w{i}"], stdout=log, stderr=subprocess.STDOUT, env=env,
                                       cwd=ROOT) for i in range(2)]
        client.wait_for_workers(2, timeout=120)
        client.close()
        yield address, processes[1:]
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def sweep(grid: Path, out: Path, *flags: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaluator.cli", "sweep", str(grid), "--out", str(out), *flags],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def trades(out: Path) -> dict[str, list]:
    """Per cell and column, its fills (market time, side, quantity, price) from its journal."""
    found = {}
    for cell in CELLS:
        state = json.loads((out / "cells" / cell / "state.json").read_text())
        run = out / "cells" / cell / state["run_id"]
        for column in ("nautilus", "hummingbot"):
            rows = [json.loads(line) for line in (run / column / "events.jsonl").read_text().splitlines()]
            found[f"{cell}/{column}"] = [(r["sim_ts_ns"], r["side"], r["qty"], r["price"]) for r in rows if r["kind"] == "order_filled"]
    return found


@pytest.fixture(scope="module")
def on_cluster(cluster, grid_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("on-cluster") / "sweep"
    done = sweep(grid_folder / "grid.toml", out, "--scheduler", cluster[0])
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_a_sweep_on_a_cluster_reports_every_cell_and_matches_the_local_cluster(on_cluster, grid_folder, tmp_path):
    report = (on_cluster / "sweep_report.md").read_text()
    assert "4 of 4 cell(s) finished, 0 failed." in report
    for cell in CELLS:
        state = json.loads((on_cluster / "cells" / cell / "state.json").read_text())
        assert state["status"] == "done" and (on_cluster / "cells" / cell / state["run_id"] / "report.md").is_file()
        assert f"| {cell} | instrument=" in report
    assert "| instrument | BTCUSDT | 2 |" in report and "| tick | 100ms | 2 |" in report
    assert (on_cluster / "sweep_heatmap.png").stat().st_size > 1000
    local = tmp_path / "local"
    done = sweep(grid_folder / "grid.toml", local)
    assert done.returncode == 0, done.stderr[-3000:]
    ours, theirs = trades(on_cluster), trades(local)
    assert all(ours.values()) and ours == theirs  # replay is deterministic: the same fills wherever a cell ran


def test_a_rerun_runs_nothing_and_a_deleted_cell_runs_again_alone(on_cluster, grid_folder, cluster):
    before = {cell: (on_cluster / "cells" / cell / "state.json").stat().st_mtime_ns for cell in CELLS}
    again = sweep(grid_folder / "grid.toml", on_cluster, "--scheduler", cluster[0])
    assert again.returncode == 0 and "all 4 cell(s) already done for these inputs and settings: nothing to run" in again.stdout
    assert {cell: (on_cluster / "cells" / cell / "state.json").stat().st_mtime_ns for cell in CELLS} == before
    removed = on_cluster / "cells" / "cell-002"
    old_run = json.loads((removed / "state.json").read_text())["run_id"]
    subprocess.run(["rm", "-rf", str(removed)], check=True)
    rerun = sweep(grid_folder / "grid.toml", on_cluster, "--scheduler", cluster[0])
    assert rerun.returncode == 0 and "3 cell(s) already done for these inputs and settings: skipped" in rerun.stderr
    after = {cell: (on_cluster / "cells" / cell / "state.json").stat().st_mtime_ns for cell in CELLS}
    assert {c: t for c, t in after.items() if c != "cell-002"} == {c: t for c, t in before.items() if c != "cell-002"}
    state = json.loads((removed / "state.json").read_text())
    assert state["status"] == "done" and (removed / state["run_id"]).is_dir() and state["run_id"] != old_run  # a new run


def _cell_runs(workers: list[subprocess.Popen]) -> list[tuple[psutil.Process, psutil.Process]]:
    """(worker process, its run-both child) for each cell running on one of ``workers`` (each a nanny)."""
    found = []
    for nanny in workers:
        for child in psutil.Process(nanny.pid).children(recursive=True):
            try:
                if "run-both" in child.cmdline():
                    found.append((child.parent(), child))
            except psutil.NoSuchProcess:
                continue
    return found


def test_a_worker_killed_mid_cell_has_its_cell_run_elsewhere(cluster, grid_folder, tmp_path):
    address, workers = cluster
    out = tmp_path / "killed"
    running = subprocess.Popen([sys.executable, "-m", "evaluator.cli", "sweep", str(grid_folder / "grid.toml"), "--out", str(out),
                                "--scheduler", address], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 300
    while not (cells := _cell_runs(workers)):
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    worker, cell_run = cells[0]
    killed_cell = next(c for c in CELLS if any(f"q50-{c}-" in arg for arg in cell_run.cmdline()))
    killed_pid = worker.pid
    worker.send_signal(signal.SIGKILL)
    stdout, stderr = running.communicate(timeout=900)
    assert running.returncode == 0, stderr[-3000:]
    assert all(json.loads((out / "cells" / c / "state.json").read_text())["status"] == "done" for c in CELLS)
    assert "4 of 4 cell(s) finished, 0 failed." in (out / "sweep_report.md").read_text()
    rerun_by = json.loads((out / "cells" / killed_cell / "state.json").read_text())["worker"]
    assert not rerun_by.endswith(f":{killed_pid}")  # its cell ended on another worker process
    cell_run.wait(30)  # the killed worker's cell died with it (PR_SET_PDEATHSIG), not left running beside its rerun
    assert not cell_run.is_running()


def test_ctrl_c_writes_the_report_of_what_finished(grid_folder, tmp_path):
    out = tmp_path / "stopped"
    running = subprocess.Popen([sys.executable, "-m", "evaluator.cli", "sweep", str(grid_folder / "grid.toml"), "--out", str(out),
                                "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 300
    while not list(out.glob("cells/*/state.json")):
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    running.send_signal(signal.SIGINT)
    _, stderr = running.communicate(timeout=120)
    assert running.returncode == 130, stderr[-3000:]
    report = (out / "sweep_report.md").read_text()
    finished = sorted(p.parent.name for p in (out / "cells").glob("*/state.json"))
    assert 1 <= len(finished) < 4
    assert f"{len(finished)} of {len(finished)} cell(s) finished, 0 failed (interrupted" in report
    assert all(f"| {cell} |" in report for cell in finished)
    deadline = time.monotonic() + 60  # a killed harness's platforms see it gone and stop (their own rule)
    while leftovers := [" ".join(p.info["cmdline"] or ())[:300] for p in psutil.process_iter(["cmdline"])
                        if any("q50-cell-" in a for a in (p.info["cmdline"] or ()))]:
        assert time.monotonic() < deadline, leftovers
        time.sleep(0.5)
