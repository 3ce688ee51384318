"""Durations as users type them: ``90s``, ``5m``, ``1h``, ``24h``, ``1h30m`` (pandas' Timedelta grammar)."""

from __future__ import annotations

import argparse

import pandas as pd


def parse_duration_ns(text: str, zero: bool = False) -> int:
    """Nanoseconds in ``text``; a bare number is seconds. ``zero``: ``0s`` is a duration too (a fill
    delay), the range of the setting it goes to decides the rest."""
    raw = str(text).strip().lower()
    try:
        value = pd.Timedelta(float(raw), unit="s") if raw.replace(".", "", 1).isdigit() else pd.Timedelta(raw)
    except (ValueError, TypeError):
        value = None
    if value is None or pd.isna(value) or value.value < 0 or (value.value == 0 and not zero):
        kind = "duration" if zero else "positive duration"
        raise ValueError(f"not a {kind}: '{text}' (examples: {'0s, ' if zero else ''}90s, 5m, 1h, 24h)")
    return int(value.value)


def duration_arg(text: str) -> int:
    """argparse ``type=`` for duration options."""
    try:
        return parse_duration_ns(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def speed_arg(text: str) -> float | None:
    """``1`` real time, ``10`` ten times faster, ``max`` as fast as possible (None)."""
    if str(text).strip().lower() in ("max", "inf"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"speed must be a positive number or 'max', got '{text}'")
    return value
