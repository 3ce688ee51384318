"""Integration complexity of each platform's POC package, measured when a run is made and recorded in
its ``inputs.json``: size (radon raw), cyclomatic complexity (radon cc), platform API touch-points
(imports from the platform and call sites into it), config knobs, setup steps and the measured
install time of the platform's dependencies. The report reads the record, so a run folder rebuilds
its report with neither the source tree nor the platforms at hand."""

from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path

from radon.complexity import cc_visit
from radon.raw import analyze

from evaluator.harness.platform_code import load
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.record import Complexity

CONFIG_CLASS_SUFFIXES = ("Config", "Params", "Settings")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMES = PROJECT_ROOT / ".venv" / "install_times.json"
"""What the bootstrap measured when it installed each platform on its own."""


def _imported_names(tree: ast.AST, root: str) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == root:
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names if alias.name.split(".")[0] == root)
    return names


def _call_root(func: ast.expr) -> tuple[str | None, str | None]:
    """('name', None) for ``name(...)``/``name.x(...)``; ('self', attr) for ``self.attr...(...)``."""
    node = func
    first_attr = None
    while isinstance(node, ast.Attribute):
        first_attr = node.attr
        node = node.value
    if isinstance(node, ast.Name):
        return node.id, first_attr
    return None, None


def _platform_calls(tree: ast.AST, imported: set[str], inherited: set[str]) -> int:
    count = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        root, attr = _call_root(node.func)
        if root in imported or (root == "self" and attr in inherited):
            count += 1
    return count


def _config_knobs(tree: ast.AST) -> int:
    knobs = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name.endswith(CONFIG_CLASS_SUFFIXES):
            knobs += sum(isinstance(item, ast.AnnAssign) for item in node.body)
    return knobs


def inherited_attributes(base_class_path: str) -> set[str]:
    """Public attributes of the platform's strategy base class (``module:Class``)."""
    return {attr for attr in dir(load(base_class_path)) if not attr.startswith("__")}


def package_complexity(
    package_dir: Path, platform_root: str, inherited: set[str], setup_steps: tuple[str, ...], install_s: float | None
) -> Complexity:
    sloc = blocks = calls = knobs = 0
    names: set[str] = set()
    complexities: list[int] = []
    files = sorted(package_dir.rglob("*.py"))
    for path in files:
        source = path.read_text(encoding="utf-8")
        sloc += analyze(source).sloc
        scores = [block.complexity for block in cc_visit(source)]
        complexities += scores
        blocks += len(scores)
        tree = ast.parse(source)
        imported = _imported_names(tree, platform_root)
        names |= imported
        calls += _platform_calls(tree, imported, inherited)
        knobs += _config_knobs(tree)
    return Complexity(
        package=package_dir.name,
        files=len(files),
        sloc=sloc,
        cc_mean=sum(complexities) / len(complexities) if complexities else 0.0,
        cc_max=max(complexities, default=0),
        blocks=blocks,
        platform_names=len(names),
        platform_calls=calls,
        config_knobs=knobs,
        setup_steps=setup_steps,
        install_s=install_s,
    )


def measured_install_seconds(path: Path, platform_package: str) -> float | None:
    """Install time recorded by the bootstrap (``.venv/install_times.json``), if it was measured."""
    if not path.exists():
        return None
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))[platform_package])
    except (KeyError, ValueError, TypeError):
        return None


@cache
def platform_complexity(name: str) -> Complexity:
    """The complexity figures of a registered platform. Measured once per process: the source does not
    change while runs are made, and ``scale`` and ``sweep`` make many (each measurement parses the package
    again and imports the platform's strategy base)."""
    entry = REGISTRY[name]
    return package_complexity(
        PROJECT_ROOT / entry.package, entry.sdk, inherited_attributes(entry.strategy_base), entry.setup_steps,
        measured_install_seconds(INSTALL_TIMES, entry.sdk),
    )
