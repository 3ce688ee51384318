"""The file link: atomic replacement means a reader never sees a partial file."""

from __future__ import annotations

import json
import multiprocessing
import os
import time

from poc_hummingbot.config import LATEST_SIGNAL, SIGNAL_HISTORY
from poc_hummingbot.signal_file import SignalFileReader, SignalFileWriter

REWRITES = 10_000
PAD = "x" * 2_000
"""Payloads of a few kB: a non-atomic writer would be caught mid-write often."""
POLL_PAUSE_S = 0.0001
"""The reader polls about every 0.1 ms, several times per rewrite, without starving the writer of CPU."""


def rewrite_many(folder: str, count: int) -> None:
    """The provider's writer, in its own process, rewriting the file ``count`` times."""
    writer = SignalFileWriter(folder)
    for i in range(count):
        writer.write(json.dumps({"signal_id": f"S:{i}", "pad": PAD[: i % len(PAD)], "i": i}).encode())
    writer.close()


def test_a_polling_reader_never_sees_partial_json(tmp_path):
    writer = multiprocessing.get_context("spawn").Process(target=rewrite_many, args=(str(tmp_path), REWRITES))
    writer.start()
    path = os.fspath(tmp_path / LATEST_SIGNAL)
    reads = invalid = 0
    seen: set[int] = set()
    try:
        while writer.is_alive() or not seen:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                continue
            reads += 1
            try:
                seen.add(json.loads(data)["i"])
            except (ValueError, KeyError):
                invalid += 1
            time.sleep(POLL_PAUSE_S)
    finally:
        writer.join(60)
    assert writer.exitcode == 0
    assert invalid == 0, f"{invalid} partial or invalid reads out of {reads}"
    assert len(seen) > 100 and reads > len(seen)  # the reader really raced the writer
    assert len((tmp_path / SIGNAL_HISTORY).read_text().splitlines()) == REWRITES
    assert json.loads((tmp_path / LATEST_SIGNAL).read_bytes())["i"] == REWRITES - 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_reader_hands_over_each_version_once(tmp_path):
    reader = SignalFileReader(tmp_path / LATEST_SIGNAL, max_bytes=1_000)
    assert reader.poll() is None  # no file yet
    writer = SignalFileWriter(tmp_path)
    writer.write(b'{"a": 1}')
    assert reader.poll() == b'{"a": 1}'
    assert reader.poll() is None
    writer.write(b'{"a": 2}')
    writer.write(b'{"a": 3}')
    assert reader.poll() == b'{"a": 3}'
    (tmp_path / LATEST_SIGNAL).write_bytes(b"y" * 5_000)
    assert len(reader.poll()) == 1_001  # too long: cut at max + 1 so the caller refuses it by length
    writer.close()
