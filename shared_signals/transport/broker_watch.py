"""The watchdog of a broker started for one run: when the harness is gone (``kill -9``, a crash the
harness could not clean up after), it stops that Mosquitto and removes its folder, password file
included, so no broker and no credentials outlive the run.

Run by path (``python -I broker_watch.py FOLDER HARNESS_PID``), not as a package module: it imports
only the standard library, so it starts in milliseconds and costs a few MB beside a long soak. It
polls its parent pid: the harness dying for any reason reparents the watchdog, and a poll sees it.
The harness, ending normally, cleans up itself (:func:`stop_and_remove`) and then ends the watchdog.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

PID_FILE = "mosquitto.pid"
"""Where :class:`~shared_signals.transport.broker.MosquittoBroker` writes the pid of the broker it started."""
POLL_S = 0.25
STOP_TIMEOUT_S = 5.0
PROGRAM = "mosquitto"


def _broker_pid(folder: Path) -> int | None:
    """The pid in the folder's pid file when that process is a live mosquitto (Linux ``/proc``)."""
    try:
        pid = int((folder / PID_FILE).read_text().strip())
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, ValueError):
        return None
    name, state = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:][:1]
    return pid if name == PROGRAM and state != "Z" else None


def stop_and_remove(folder: Path) -> None:
    """SIGTERM to the folder's broker (SIGKILL after a timeout), then the folder is deleted."""
    pid = _broker_pid(folder)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _broker_pid(folder) is not None and time.monotonic() < deadline:
            time.sleep(POLL_S / 10)
        if _broker_pid(folder) is not None:
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def watch(folder: Path, harness_pid: int) -> None:
    """Returns once ``harness_pid`` is no longer this process's parent, having cleaned up after it."""
    while os.getppid() == harness_pid:
        time.sleep(POLL_S)
    stop_and_remove(folder)


if __name__ == "__main__":
    watch(Path(sys.argv[1]), int(sys.argv[2]))
