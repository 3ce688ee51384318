"""One cell on a worker: its inputs found by content hash, an ordinary ``run-both`` in a process of its
own, and its run folder sent back as a tar archive.

A worker never hosts a platform itself: Hummingbot keeps process-wide singletons and NautilusTrader
cannot build a second engine in one process, so each cell is ``python -m evaluator.cli run-both`` (which
starts each platform in a process of its own, as always). The child dies with the worker
(``PR_SET_PDEATHSIG``): a killed worker leaves no run behind while the scheduler gives its cell to
another. An input is fetched from the client only by a worker that has neither the client's path
(the same machine) nor a copy of the same content in its cache.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import msgspec
from distributed import get_client

from evaluator.harness.supervisor import kill_when_parent_dies

CACHE_ENV = "Q50_SWEEP_CACHE"
"""Where a worker keeps inputs it fetched, by content hash (default: ~/.cache/q50-poc/inputs)."""
DATASET_PREFIX = "q50-input-"
TAIL_BYTES = 4000


class InputRef(msgspec.Struct, frozen=True):
    """An input file by content: its hash, its name's suffix and the client's path to it."""

    sha256: str
    suffix: str
    path: str


class CellTask(msgspec.Struct, frozen=True):
    name: str
    quotes: InputRef
    signals: InputRef
    core: InputRef | None
    options: tuple[str, ...]


class CellOutcome(msgspec.Struct, frozen=True):
    name: str
    returncode: int
    error: str
    """run-both's own one line (``error: …``) when it failed, else the end of its output."""
    archive: bytes
    """The run folder (``<run-id>/…``) as an uncompressed tar; empty when run-both wrote none."""
    wall_s: float
    worker: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "q50-poc" / "inputs")


@functools.lru_cache(maxsize=64)
def _hash_of(path: str, size: int, mtime_ns: int) -> str:
    """A file's hash, once per worker process while the file is unchanged (a grid reads the same inputs
    in every cell: a multi-year quote file is not hashed again for each)."""
    return sha256_of(Path(path))


def local_copy(ref: InputRef) -> Path:
    """The file of ``ref`` on this machine: the client's own path when its content is the same, a cached
    copy, or one fetched from the client's published dataset."""
    given = Path(ref.path)
    if given.is_file():
        stat = given.stat()
        if _hash_of(ref.path, stat.st_size, stat.st_mtime_ns) == ref.sha256:
            return given
    cached = cache_dir() / f"{ref.sha256}{ref.suffix}"
    if cached.is_file():
        return cached
    data = get_client().get_dataset(DATASET_PREFIX + ref.sha256).result()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(cached.name + f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(cached)
    return cached


def run_cell(task: CellTask) -> CellOutcome:
    """Runs the cell's ``run-both`` to its end; its outcome, with the run folder packed."""
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix=f"q50-{task.name}-"))
    try:
        argv = [sys.executable, "-m", "evaluator.cli", "run-both", "--quotes", str(local_copy(task.quotes)),
                "--signals", str(local_copy(task.signals)), *task.options, "--out", str(scratch)]
        if task.core is not None:
            argv += ["--core-config", str(local_copy(task.core))]
        done = subprocess.run(argv, capture_output=True, text=True, preexec_fn=kill_when_parent_dies, check=False)
        folders = [p for p in scratch.iterdir() if p.is_dir()]
        archive = io.BytesIO()
        if folders:
            with tarfile.open(fileobj=archive, mode="w") as tar:
                tar.add(folders[0], arcname=folders[0].name)
        lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        error = lines[-1] if lines else (done.stderr or done.stdout)[-TAIL_BYTES:].strip()
        return CellOutcome(task.name, done.returncode, error if done.returncode else "", archive.getvalue(),
                           time.monotonic() - started, os.uname().nodename + f":{os.getpid()}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
