"""Demo inputs for commands run without ``--quotes``/``--signals``: generated once, then reused."""

from __future__ import annotations

from pathlib import Path

from shared_signals.demo import DemoFiles, DemoParams, write_demo

DEFAULT_DEMO_DIR = Path("data") / "demo"


def ensure_demo_data(folder: Path = DEFAULT_DEMO_DIR, params: DemoParams = DemoParams()) -> DemoFiles:
    """The demo files in ``folder``, written first if either is missing."""
    files = DemoFiles(folder / "quotes.parquet", folder / "signals.parquet")
    if files.quotes.exists() and files.signals.exists():
        return files
    return write_demo(folder, params)
