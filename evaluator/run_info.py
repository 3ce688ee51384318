"""What a run folder records beside its journal: the configuration, the inputs and the versions."""

from __future__ import annotations

import hashlib
import json
import os
import platform as host_platform
import sys
from dataclasses import asdict, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

RUN_JSON = "run.json"
VERSIONED_PACKAGES = ("nautilus_trader", "hummingbot", "pandas", "numpy", "pyarrow", "psutil")
HASH_CHUNK = 1 << 20


def package_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": host_platform.platform(),
        "processor": host_platform.machine(),
    }


def file_digest(path: str | Path) -> dict[str, Any]:
    """Size and SHA-256 of an input file, so a report names exactly what it measured."""
    path = Path(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return {"path": str(path), "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def read_json_or_none(path: Path) -> dict | None:
    """A JSON file a run may or may not have written (a crash can leave it missing or torn)."""
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def write_run_info(folder: str | Path, **sections: Any) -> Path:
    """Writes ``run.json`` (versions, machine and the given sections) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    info = {"versions": package_versions(), "machine": machine(), **{k: _plain(v) for k, v in sections.items()}}
    target = folder / RUN_JSON
    target.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target
