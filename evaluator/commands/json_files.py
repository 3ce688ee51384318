"""The JSON files a user hands a command (a core config, a platform's settings, a run configuration):
read in one place, so every one is refused the same way, in one line that names the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared_signals.errors import InputError


def read_json_object(path: Path, what: str) -> dict[str, Any]:
    """The JSON object in ``path``; ``what`` names the file's kind in the refusal."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a {what} (JSON): {exc}", path) from None
    if not isinstance(data, dict):
        raise InputError(f"not a {what}: expected a JSON object", path)
    return data
