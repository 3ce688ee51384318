"""A report is rebuilt from its run folder alone: with no platform package or SDK importable, a copied run
folder's report comes out byte for byte the same. And the evaluator and the signal core name no
platform: the registry is the only place one is named."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.harness.comparison import Columns
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import SupervisorConfig
from shared_signals.contract.platforms import PLATFORM_NAMES, REGISTRY
from shared_signals.contract.spec import RunSpec

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = ("poc_nautilus", "poc_hummingbot", "nautilus_trader", "hummingbot")
REFUSE_PLATFORMS = f"""
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {HIDDEN!r}:
            raise ImportError("hidden from this test: " + name)
sys.meta_path.insert(0, Refuse())
from evaluator.cli import main
sys.exit(main(["report", sys.argv[1]]))
"""
OUTPUTS = ("report.md", "metrics.json", "charts/latency_cdf.png", "charts/resources.png", "charts/equity.png",
           "charts/attribution.png", "charts/stages.png", "charts/transport_latency_cdf.png")


@pytest.mark.slow
def test_a_copied_run_folder_rebuilds_byte_for_byte_without_any_platform_importable(small_demo, tmp_path):
    base = RunSpec(platform="nautilus", mode="replay", quotes=small_demo.quotes, signals=small_demo.signals,
                   run_dir=tmp_path / "run", run_id="alone")
    specs = [base, RunSpec(**{**base.__dict__, "platform": "hummingbot"}),
             RunSpec(**{**base.__dict__, "platform": "hummingbot", "column": "hb-fast", "settings": {"tick_size_s": 0.1}})]
    report, exits = run_both(Columns.of(specs), SupervisorConfig(sample_interval_s=0.2, poll_interval_s=0.05))
    assert {e.returncode for e in exits.values()} == {0}
    copy = tmp_path / "copy"
    shutil.copytree(report.folder, copy)
    for name in OUTPUTS:
        (copy / name).unlink()
    done = subprocess.run([sys.executable, "-c", REFUSE_PLATFORMS, str(copy)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in OUTPUTS:
        assert (copy / name).read_bytes() == (report.folder / name).read_bytes(), name


def _string_constants(tree: ast.AST) -> list[tuple[int, str]]:
    return [(node.lineno, node.value) for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_no_platform_is_named_outside_the_registry():
    """No string equal to a platform's name, no platform entry constant and no platform package import in
    ``evaluator/`` or ``shared_signals/`` but the registry itself."""
    registry = ROOT / "shared_signals" / "contract" / "platforms.py"
    entries = {name.upper() for name in PLATFORM_NAMES}
    found = []
    for path in [*(ROOT / "evaluator").rglob("*.py"), *(ROOT / "shared_signals").rglob("*.py")]:
        if path == registry:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}:{line} '{text}'" for line, text in _string_constants(tree) if text in REGISTRY]
        found += [f"{path.relative_to(ROOT)}:{node.lineno} {node.id}" for node in ast.walk(tree)
                  if isinstance(node, ast.Name) and node.id in entries]
        for node in ast.walk(tree):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.relative_to(ROOT)}:{node.lineno} import {m}" for m in modules
                      if m.split(".")[0] in {REGISTRY[n].package for n in REGISTRY}]
    assert not found, found
