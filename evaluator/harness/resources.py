"""Samples a process tree with psutil: RSS, CPU%, threads, open files. One JSON line per sample,
flushed, so a crash of anything keeps what was measured; parquet at the end."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import IO

import psutil

from evaluator.analysis.run_folder import read_resources
from shared_signals.contract.layout import RESOURCES_JSONL, RESOURCES_PARQUET

BYTES_PER_MB = 1024 * 1024


class ResourceSampler:
    """Keeps psutil handles between samples so CPU% is measured over the interval, not from zero."""

    def __init__(self, pid: int, folder: Path) -> None:
        self.pid = pid
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._handles: dict[int, psutil.Process] = {}
        self._file: IO[str] | None = (folder / RESOURCES_JSONL).open("a", encoding="utf-8")
        self.last: dict | None = None
        self.cpu_s = 0.0
        """CPU time this sampler itself spent sampling: the harness's measurement overhead."""

    def _tree(self) -> list[psutil.Process]:
        root = self._handles.get(self.pid) or psutil.Process(self.pid)
        self._handles.setdefault(self.pid, root)
        tree = [root]
        with contextlib.suppress(psutil.Error):
            tree += root.children(recursive=True)
        current = []
        for proc in tree:
            handle = self._handles.setdefault(proc.pid, proc)
            current.append(handle)
        alive = {p.pid for p in current}
        for pid in [pid for pid in self._handles if pid not in alive]:
            del self._handles[pid]
        return current

    def sample(self) -> dict | None:
        """Measures the tree now; None once the root process is gone."""
        started = time.thread_time()
        try:
            return self._sample()
        finally:
            self.cpu_s += time.thread_time() - started

    def _sample(self) -> dict | None:
        if self._file is None:
            return None
        rss = cpu = 0.0
        threads = fds = 0
        try:
            tree = self._tree()
            if tree[0].status() == psutil.STATUS_ZOMBIE:
                return None
        except psutil.Error:
            return None
        for proc in tree:
            try:
                with proc.oneshot():
                    rss += proc.memory_info().rss
                    cpu += proc.cpu_percent(None)
                    threads += proc.num_threads()
                    fds += proc.num_fds()
            except psutil.Error:
                continue
        record = {
            "wall_ns": time.time_ns(),
            "rss_mb": rss / BYTES_PER_MB,
            "cpu_pct": cpu,
            "threads": threads,
            "open_files": fds,
            "processes": len(tree),
        }
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()
        self.last = record
        return record

    def close(self) -> Path:
        if self._file is not None:
            self._file.close()
            self._file = None
        return write_resources_parquet(self.folder)


def write_resources_parquet(folder: Path) -> Path:
    target = folder / RESOURCES_PARQUET
    read_resources(folder).to_parquet(target, index=False)
    return target
