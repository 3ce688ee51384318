"""``run.json``: what a platform ran (spec, venue, transport, inputs), with the versions and the machine."""

from __future__ import annotations

import hashlib
import json
import os
import platform as host_platform
import sys
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from shared_signals.contract.layout import RUN_JSON
from shared_signals.contract.platforms import REGISTRY

VERSIONED_PACKAGES = (*(entry.sdk for entry in REGISTRY.values()), "pandas", "numpy", "pyarrow", "psutil")
HASH_CHUNK = 1 << 20


def new_run_id() -> str:
    """A run's identifier: the UTC second it started."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


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
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


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


@dataclass(frozen=True)
class VenueInfo:
    """The venue a platform traded on, as every ``run.json`` states it: the analysis reads
    ``fill_delay_ns`` (the reference replay's fill delay for this platform) from here alone."""

    name: str
    fill_delay_ns: int
    """Market time from a market order's decision to its fill on this venue (0 = the same quote)."""
    fee_rate: float
    """The fee charged on a market order's fill, as a fraction of its notional: the reference replay
    for this platform charges the same."""
    model: str
    """The run spec's venue model: ``matched`` or ``native``."""
    fees: str
    what: str
    details: dict[str, Any] = field(default_factory=dict)


def write_run_info(
    folder: str | Path, spec: Any, venue: VenueInfo, transport: dict[str, Any], inputs: dict[str, Any], platform: dict[str, Any]
) -> Path:
    """Writes ``run.json`` into ``folder``: the same sections for every platform (``spec``,
    ``venue``, ``transport``, ``inputs``, ``versions``, ``machine``) and the platform's own
    (``platform``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    info = {
        "versions": package_versions(),
        "machine": machine(),
        "spec": spec.to_dict(),
        "venue": _plain(venue),
        "transport": _plain(transport),
        "inputs": _plain(inputs),
        "platform": _plain(platform),
    }
    target = folder / RUN_JSON
    target.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target
