"""What the harness computes while the platforms run instead of after them, in a worker process of its
own (``python -m evaluator.harness.side_work FOLDER``), so the harness' measured CPU and memory stay
its own supervising.

- **Complexity** of each platform's package: it imports the platform's strategy base, so it runs
  there, never in the harness itself.
- **The reference replays** of a replay run. They depend on the inputs and each column's venue (its
  fill delay and fee, which each platform states in its ``run.json`` before it trades), not on what
  the platforms do; once every column has written its ``run.json`` the worker replays them over all
  the quotes. The harness uses them only when they are exactly what it would replay afterwards: the
  same venues, and a run that covered every quote (no ``--duration``, every column reached the last
  quote); otherwise it replays the reference itself, as before.

The worker's files live in ``RUN_DIR/.side_work/`` and are removed once the harness has taken them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import msgspec

from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.comparison import Columns
from evaluator.harness.complexity import platform_complexity
from evaluator.harness.reference import replay_venues, reference_venues
from evaluator.harness.supervisor import kill_when_parent_dies
from shared_signals.contract.layout import RUN_JSON
from shared_signals.contract.modes import REPLAY
from shared_signals.contract.record import Complexity
from shared_signals.contract.run_info import read_json_or_none
from shared_signals.contract.spec import RunSpec
from shared_signals.reference import ReferenceVenue

FOLDER = ".side_work"
REQUEST = "request.json"
COMPLEXITY = "complexity.json"
VENUES = "venues.json"
POLL_S = 0.05
STOP_TIMEOUT_S = 5.0


class Request(msgspec.Struct, frozen=True):
    spec: dict
    """The baseline's run spec: the inputs and settings every column shares."""
    platforms: list[str]
    """Whose complexity to measure."""
    run_json: list[str]
    """Each column's ``run.json``, to wait for before replaying; empty: no replay."""


class Made(msgspec.Struct, frozen=True):
    """The replays the worker made: each venue, and its trades' file."""

    venues: list[tuple[ReferenceVenue, str]]


def _venue(info: dict) -> ReferenceVenue:
    venue = info.get("venue") or {}
    return ReferenceVenue(int(venue.get("fill_delay_ns") or 0), float(venue.get("fee_rate") or 0.0))


def work(folder: Path) -> None:
    """The worker: complexity first (every run needs it), then the replays when asked for."""
    request = msgspec.json.decode((folder / REQUEST).read_bytes(), type=Request)
    complexity = {name: platform_complexity(name) for name in request.platforms}
    (folder / COMPLEXITY).write_bytes(msgspec.json.encode(complexity))
    if not request.run_json:
        return
    paths = [Path(p) for p in request.run_json]
    while not all(p.exists() for p in paths):
        time.sleep(POLL_S)
    infos = [read_json_or_none(p) for p in paths]
    spec = RunSpec.from_dict(request.spec)
    venues = [*(_venue(info or {}) for info in infos), ReferenceVenue(0, spec.venue.fee_rate or 0.0)]
    made = []
    for k, (venue, trades) in enumerate(replay_venues(spec, venues, None).items()):
        trades.to_parquet(folder / f"{k}.parquet", index=False)
        made.append((venue, f"{k}.parquet"))
    (folder / VENUES).write_bytes(msgspec.json.encode(Made(made)))


class SideWork:
    """The worker, started with the platforms and asked for its results once they are done."""

    def __init__(self, columns: Columns, last_quote_ns: int) -> None:
        base = columns.baseline_spec
        self.folder = base.run_dir / FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self.last_quote_ns = last_quote_ns
        replay = base.mode == REPLAY and base.duration_ns is None
        request = Request(base.to_dict(), sorted({s.platform for s in columns.specs}),
                          [str(s.platform_dir / RUN_JSON) for s in columns.specs] if replay else [])
        (self.folder / REQUEST).write_bytes(msgspec.json.encode(request))
        with (self.folder / "process.log").open("ab") as log:
            self._process = subprocess.Popen([sys.executable, "-m", __name__, str(self.folder)], stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             preexec_fn=kill_when_parent_dies)

    def complexity(self) -> dict[str, Complexity]:
        """The worker's figures as soon as it has them; measured here if it could not (it died)."""
        path = self.folder / COMPLEXITY
        while not path.exists() and self._process.poll() is None:
            time.sleep(POLL_S)
        if path.exists():
            return msgspec.json.decode(path.read_bytes(), type=dict[str, Complexity])
        request = msgspec.json.decode((self.folder / REQUEST).read_bytes(), type=Request)
        return {name: platform_complexity(name) for name in request.platforms}

    def reference(self, run: RunFolder) -> dict[ReferenceVenue, Path] | None:
        """The replays' files, when they are the run's own (its venues, every quote covered); else None."""
        if run.horizon_ns is None or run.horizon_ns < self.last_quote_ns:
            return None
        if self._process.wait() != 0 or not (self.folder / VENUES).exists():
            return None
        made = dict(msgspec.json.decode((self.folder / VENUES).read_bytes(), type=Made).venues)
        wanted = set(reference_venues(run).values())
        return {v: self.folder / name for v, name in made.items()} if wanted <= set(made) else None

    def close(self) -> None:
        """Ends the worker, whatever it is still doing (a replay the run did not end with is of no use),
        and removes its files."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    work(Path(sys.argv[1]))
