"""Units the analysis judges figures in."""

from __future__ import annotations

from shared_signals.contract.spec import BPS

PERCENT = 100
BPS_PER_PERCENT = BPS / PERCENT
"""A percentage point of capital in basis points."""
