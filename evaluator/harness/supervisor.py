"""Runs each column's platform in its own OS process on the same inputs, samples each process tree,
shows progress, and survives a platform crashing: what each child wrote stays, and its exit is recorded."""

from __future__ import annotations

import ctypes
import json
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import msgspec

from evaluator.harness.resources import ResourceSampler
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import EVENTS_JSONL, EXIT_JSON, PROCESS_LOG
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.spec import RunSpec, write_spec

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
"""Linux ``prctl`` option: a signal the kernel sends a process when its parent dies."""
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None
"""Looked up here, not in the forked child, where loading a library could wait on a lock forever."""


def _interrupt_when_harness_dies() -> None:
    """Runs in each platform child before it starts: if the harness dies (``kill -9``), the kernel sends
    the platform SIGINT, so it stops as on Ctrl-C with its journal closed instead of running on
    unsupervised for the rest of a long soak."""
    _PRCTL(PR_SET_PDEATHSIG, signal.SIGINT)


def kill_when_parent_dies() -> None:
    """A ``preexec_fn`` for a helper child whose work is of no use without its parent (the harness' side
    work, a sweep cell's run): the kernel kills it when the parent dies (Linux; elsewhere nothing)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass(frozen=True)
class SupervisorConfig:
    sample_interval_s: float = 1.0
    """psutil sampling period of each platform's process tree."""
    poll_interval_s: float = 0.25
    """How often exits are checked and progress is refreshed."""
    stop_grace_s: float = 15.0
    """After Ctrl-C, how long a platform may take to write its journal before it is killed."""


@dataclass(frozen=True)
class PlatformExit:
    column: str
    returncode: int
    started_ns: int
    ended_ns: int
    stopped_by_user: bool = False
    """The supervisor asked it to stop (Ctrl-C): a non-zero exit is then the user's doing, not a crash."""

    @property
    def crashed(self) -> bool:
        return self.returncode != 0 and not self.stopped_by_user


@dataclass
class Progress:
    """What the journal tail says so far; for the progress display."""

    sim_ts_ns: int | None = None
    orders: int = 0
    fills: int = 0
    errors: int = 0


class _Glance(msgspec.Struct):
    """The two fields of a journal record the progress display reads (msgspec skips the rest unparsed)."""

    kind: str = ""
    sim_ts_ns: int | None = None


_GLANCE = msgspec.json.Decoder(_Glance)


class JournalTail:
    """Reads the lines a running platform appended since the last call (whole lines only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""
        self.progress = Progress()

    def poll(self) -> Progress:
        if not self.path.exists():
            return self.progress
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            chunk = handle.read()
        self._offset += len(chunk)
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        for line in lines:
            try:
                event = _GLANCE.decode(line)
            except msgspec.DecodeError:
                continue
            kind = event.kind
            self.progress.orders += kind == EventKind.ORDER_SUBMITTED
            self.progress.fills += kind == EventKind.ORDER_FILLED
            self.progress.errors += kind == EventKind.ERROR
            ts = event.sim_ts_ns
            if ts is not None and (self.progress.sim_ts_ns is None or ts > self.progress.sim_ts_ns):
                self.progress.sim_ts_ns = ts
        return self.progress


def child_command(spec: RunSpec) -> list[str]:
    """``python -m <platform module> spec.json``: the platform in a fresh interpreter, given the whole
    run spec as one file beside its journal."""
    return [sys.executable, "-m", REGISTRY[spec.platform].module, str(write_spec(spec))]


@dataclass
class _Child:
    options: RunSpec
    process: subprocess.Popen
    sampler: ResourceSampler
    tail: JournalTail
    started_ns: int
    exit: PlatformExit | None = None


ProgressCallback = Callable[[str, Progress, PlatformExit | None, dict | None], None]
"""(label, journal progress, exit once it exited, latest resource sample)."""


class Supervisor:
    """Starts the platforms, samples them until they all exit, and records how each ended."""

    def __init__(self, runs: list[RunSpec], config: SupervisorConfig = SupervisorConfig()) -> None:
        self.runs = runs
        self.config = config
        self._one_per_column = len({r.column for r in runs}) == len(runs)
        self._children: list[_Child] = []

    def _start(self, options: RunSpec) -> _Child:
        folder = options.platform_dir
        folder.mkdir(parents=True, exist_ok=True)
        log_file = (folder / PROCESS_LOG).open("ab")
        process = subprocess.Popen(
            child_command(options), stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_interrupt_when_harness_dies if _PRCTL is not None else None,
        )
        log_file.close()
        return _Child(options, process, ResourceSampler(process.pid, folder), JournalTail(folder / EVENTS_JSONL), time.time_ns())

    def _finish(self, child: _Child, returncode: int, stopped_by_user: bool = False) -> PlatformExit:
        child.sampler.close()
        child.tail.poll()
        outcome = PlatformExit(child.options.column, returncode, child.started_ns, time.time_ns(), stopped_by_user)
        (child.options.platform_dir / EXIT_JSON).write_text(json.dumps(asdict(outcome), indent=2) + "\n", encoding="utf-8")
        if outcome.crashed:
            log.warning("%s exited with code %s; see %s", outcome.column, returncode, child.options.platform_dir / PROCESS_LOG)
        return outcome

    def label(self, options: RunSpec) -> str:
        """The column's name, or ``column:instrument`` when one column runs several instruments."""
        return options.column if self._one_per_column else f"{options.column}:{options.instrument}"

    def children_pids(self) -> dict[str, int]:
        return {self.label(c.options): c.process.pid for c in self._children}

    def sampling_cpu_s(self) -> float:
        return sum(c.sampler.cpu_s for c in self._children)

    def exits(self) -> dict[str, PlatformExit]:
        return {self.label(c.options): c.exit for c in self._children if c.exit is not None}

    def run(
        self, on_progress: ProgressCallback | None = None, on_started: Callable[[Supervisor], None] | None = None
    ) -> dict[str, PlatformExit]:
        self._children = [self._start(options) for options in self.runs]
        if on_started is not None:
            on_started(self)
        next_sample = time.monotonic()
        try:
            while any(c.exit is None for c in self._children):
                now = time.monotonic()
                sample_due = now >= next_sample
                if sample_due:
                    next_sample = now + self.config.sample_interval_s
                for child in self._children:
                    if child.exit is not None:
                        continue
                    if sample_due:
                        child.sampler.sample()
                    progress = child.tail.poll()
                    returncode = child.process.poll()
                    if returncode is not None:
                        child.exit = self._finish(child, returncode)
                    if on_progress is not None:
                        on_progress(self.label(child.options), progress, child.exit, child.sampler.last)
                time.sleep(self.config.poll_interval_s)
        except KeyboardInterrupt:
            self._stop_all()
            raise
        return self.exits()

    def _stop_all(self) -> None:
        """Ctrl-C: ask each platform to stop (SIGINT), wait for its journal, then kill what remains."""
        for child in self._children:
            if child.exit is None and child.process.poll() is None:
                child.process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + self.config.stop_grace_s
        for child in self._children:
            if child.exit is not None:
                continue
            try:
                returncode = child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                returncode = child.process.wait()
            child.exit = self._finish(child, returncode, stopped_by_user=True)
