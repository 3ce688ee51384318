"""Each platform's own refusal of what it cannot run, asked before any platform starts.

A run one platform would refuse must be the user's one line, not a crash the report scores against
that platform while the other trades on. Each registry entry names its check (``preflight``); they
import no platform SDK, so asking costs the harness nothing it would measure.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.spec import RunSpec


def preflight(spec: RunSpec, platforms: list[str]) -> None:
    """Every one of ``platforms`` on ``spec``; the first refusal is an ``InputError``."""
    for name in platforms:
        module, function = REGISTRY[name].preflight.split(":")
        getattr(importlib.import_module(module), function)(replace(spec, platform=name))
