"""The reference replays made while the platforms ran are the ones the harness would make after them:
byte for byte, and only used when the run ended with the venues and the horizon they were made for."""

from __future__ import annotations

import psutil
import pytest

from evaluator.cli import main
from evaluator.harness import run_both as harness

pytestmark = pytest.mark.slow


def reference_files(small_demo, out, *flags) -> dict[str, bytes]:
    files = ["--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals)]
    assert main(["run-both", *files, "--out", str(out), *flags]) == 0
    folder = next(out.iterdir()) / "reference"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


def test_the_reference_made_while_the_platforms_ran_is_the_one_made_after(small_demo, tmp_path, monkeypatch):
    used = []
    reference = harness.SideWork.reference

    def counted(self, run):
        found = reference(self, run)
        used.append(found is not None)
        return found

    monkeypatch.setattr(harness.SideWork, "reference", counted)
    early = reference_files(small_demo, tmp_path / "early")
    monkeypatch.setattr(harness.SideWork, "reference", lambda self, run: None)
    after = reference_files(small_demo, tmp_path / "after")
    assert used == [True]
    assert early == after and len(early) >= 4
    assert psutil.Process().children() == []  # the worker is gone, and left nothing behind
    assert not list(tmp_path.glob("*/*/.side_work"))


def test_a_run_with_a_duration_replays_its_reference_after_the_platforms(small_demo, tmp_path, monkeypatch):
    used = []
    reference = harness.SideWork.reference
    monkeypatch.setattr(harness.SideWork, "reference", lambda self, run: used.append(reference(self, run)))
    reference_files(small_demo, tmp_path / "short", "--duration", "30m")
    assert used == [None]
