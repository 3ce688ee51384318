"""The ``latest_signal.json`` payload: built from a shared :class:`Signal` by the provider, checked and
turned back into the very same :class:`Signal` by the strategy.

The SPEC fields (schema_version, signal_id, timestamp, published_at_ns, symbol, action, strength,
confidence, position_size, probabilities, target_pct, metadata {q10, q50, q90, prob_up, regime}) are
for people and other consumers; ``id`` and ``trading_pair`` complete Hummingbot's AI-livestream format
(``id``, ``trading_pair``, ``timestamp``, ``probabilities`` [short, neutral, long], ``target_pct``), so
the same payload is the MQTT message. ``metadata`` also carries every other column the shared decision reads
(side, vol_risk, tier_confidence, fg_index, vol_scaled, signal_rel, vol_decile) and ``timestamp_ns``
the exact signal time, so the strategy decides exactly what the Nautilus side decides. JSON floats
round-trip exactly (``repr``), so nothing is lost on the way.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import msgspec
import numpy as np

from shared_signals.config import NANOS_PER_MICRO, SignalCoreConfig
from shared_signals.decision import MarketState
from shared_signals.instruments import parse_instrument
from shared_signals.probability import probabilities, target_pct
from shared_signals.rules import decide_by_rule
from shared_signals.schema import VALUE_RANGES, Signal, SignalSide
from shared_signals.sizing import position_fraction
from shared_signals.table import SignalTable

SCHEMA_VERSION = 1
UNIT_PRICE = 1.0
"""``action`` is the label the shared decision gives the signal from a flat position at a unit
price; it is informational: the strategy decides again on its own position and quote."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FLOAT_FIELDS = ("q10", "q50", "q90", "prob_up", "vol_risk", "tier_confidence", "fg_index", "vol_scaled", "signal_rel")
VALID_SIDES = tuple(SignalSide)
VOL_DECILES = range(10)


class PayloadError(ValueError):
    """A signal file the strategy must not trade on; ``reason`` goes into the journal."""

    def __init__(self, reason: str, signal_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.signal_id = signal_id


def iso_utc(ts_ns: int) -> str:
    """``2025-01-06T00:05:00.000000Z`` (microseconds; ``timestamp_ns`` keeps the exact value)."""
    return (EPOCH + timedelta(microseconds=ts_ns // NANOS_PER_MICRO)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Bridge(NamedTuple):
    """A signal in the AI-livestream format: ``[short, neutral, long]`` and ``target_pct``."""

    probabilities: list[float]
    target_pct: float


class BridgeColumns:
    """The bridge of every row of a table at once: one vectorised pass instead of one per publication,
    kept as arrays (a few bytes a row, however many years of signals)."""

    def __init__(self, table: SignalTable, config: SignalCoreConfig) -> None:
        q10, q50, q90 = (table.frame[name].to_numpy(dtype=float) for name in ("q10", "q50", "q90"))
        tier = table.frame["tier_confidence"].to_numpy(dtype=float)
        self._vectors = probabilities(q10, q50, q90, config.probability)
        self._targets = np.atleast_1d(target_pct(q10, q50, q90, tier, config.probability))

    def __getitem__(self, row: int) -> Bridge:
        return Bridge(self._vectors[row].tolist(), float(self._targets[row]))


def bridge_of(signal: Signal, config: SignalCoreConfig) -> Bridge:
    """The bridge of one signal (one not in a table, e.g. a hand-made one)."""
    vector = probabilities(signal.q10, signal.q50, signal.q90, config.probability).tolist()
    return Bridge(vector, float(target_pct(signal.q10, signal.q50, signal.q90, signal.tier_confidence, config.probability)))


def build_payload(
    signal: Signal, symbol: str, published_at_ns: int, config: SignalCoreConfig, bridge: Bridge | None = None
) -> dict[str, Any]:
    """The provider's message for ``signal``; ``bridge`` when already computed (:class:`BridgeColumns`)."""
    market = MarketState(signal.ts_ns, UNIT_PRICE, UNIT_PRICE)
    action = decide_by_rule(signal, 0.0, market, config).action.value
    bridge = bridge or bridge_of(signal, config)
    short, neutral, long = bridge.probabilities
    return {
        "schema_version": SCHEMA_VERSION,
        "signal_id": signal.signal_id,
        "id": signal.signal_id,
        "trading_pair": parse_instrument(symbol).hummingbot_pair,
        "timestamp": iso_utc(signal.ts_ns),
        "timestamp_ns": signal.ts_ns,
        "published_at_ns": published_at_ns,
        "symbol": symbol,
        "action": action,
        "strength": abs(signal.q50),
        "confidence": max(signal.prob_up, 1.0 - signal.prob_up),
        "position_size": position_fraction(signal, config.decision.sizing, config.probability),
        "probabilities": [short, neutral, long],
        "target_pct": bridge.target_pct,
        "metadata": {
            "q10": signal.q10,
            "q50": signal.q50,
            "q90": signal.q90,
            "prob_up": signal.prob_up,
            "regime": signal.regime_volatility,
            "side": signal.side,
            "vol_risk": signal.vol_risk,
            "tier_confidence": signal.tier_confidence,
            "fg_index": signal.fg_index,
            "vol_scaled": signal.vol_scaled,
            "signal_rel": signal.signal_rel,
            "vol_decile": signal.vol_decile,
        },
    }


ENCODE = msgspec.json.Encoder().encode
DECODE = msgspec.json.Decoder().decode
"""msgspec's JSON, a fifth of the standard library's cost: a replay publishes and parses every signal."""


def _require_finite(value: Any) -> None:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number {value} in a payload")
    elif isinstance(value, dict):
        for item in value.values():
            _require_finite(item)
    elif isinstance(value, list):
        for item in value:
            _require_finite(item)


def encode(payload: dict[str, Any]) -> bytes:
    """Compact JSON; NaN or infinity is a bug upstream and raises instead of writing invalid JSON."""
    _require_finite(payload)
    return ENCODE(payload)


def _reject_constant(name: str) -> float:
    raise PayloadError(f"non-finite number {name} in payload")


def _explain_invalid(raw: bytes) -> Any:
    """What is wrong with bytes the fast decoder refused, in the standard library's words (its only
    use: NaN or infinity named as such, a half-written file as the JSON error it is)."""
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except PayloadError:
        raise
    except ValueError as exc:
        raise PayloadError(f"not valid JSON (half-written or garbage): {exc}") from None


def _number(metadata: dict, name: str, signal_id: str) -> float:
    value = metadata.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PayloadError(f"metadata.{name} must be a number, found {value!r}", signal_id)
    value = float(value)
    low, high = VALUE_RANGES.get(name, (-math.inf, math.inf))
    if not low <= value <= high:
        raise PayloadError(f"metadata.{name} = {value} outside [{low}, {high}]", signal_id)
    return value


def _integer(metadata: dict, name: str, allowed, signal_id: str) -> int:
    value = metadata.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise PayloadError(f"metadata.{name} must be one of {list(allowed)}, found {value!r}", signal_id)
    return value


def _signal_time(payload: dict, signal_id: str) -> int:
    ts_ns = payload.get("timestamp_ns")
    if isinstance(ts_ns, bool) or not isinstance(ts_ns, int):
        raise PayloadError(f"timestamp_ns must be an integer, found {ts_ns!r}", signal_id)
    text = payload.get("timestamp")
    try:
        stamp = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"timestamp is not an ISO time: {text!r}", signal_id) from None
    if stamp.tzinfo is None:
        raise PayloadError(f"timestamp has no time zone: {text!r}", signal_id)
    if (stamp - EPOCH) // timedelta(microseconds=1) != ts_ns // NANOS_PER_MICRO:
        raise PayloadError(f"timestamp {text} and timestamp_ns {ts_ns} disagree", signal_id)
    return ts_ns


def _livestream_fields(payload: dict, signal_id: str, pair: str) -> None:
    """An AI-livestream message must name the strategy's pair and carry its id as ``id``."""
    if payload.get("trading_pair") != pair:
        raise PayloadError(f"trading_pair {payload.get('trading_pair')!r} is not this strategy's {pair}", signal_id)
    if payload.get("id") != signal_id:
        raise PayloadError(f"id {payload.get('id')!r} differs from signal_id {signal_id!r}", signal_id)


def parse_payload(raw: bytes, symbol: str, livestream_pair: str | None = None) -> Signal:
    """The :class:`Signal` in ``raw``, or :class:`PayloadError` saying why it must not be traded.

    ``livestream_pair`` (MQTT messages): the AI-livestream fields must be there and agree too."""
    if not raw.strip():
        raise PayloadError("empty signal file")
    try:
        payload = DECODE(raw)
    except msgspec.DecodeError:
        payload = _explain_invalid(raw)
    if not isinstance(payload, dict):
        raise PayloadError(f"expected a JSON object, found {type(payload).__name__}")
    signal_id = payload.get("signal_id")
    if not isinstance(signal_id, str) or not signal_id:
        raise PayloadError(f"signal_id must be a non-empty string, found {signal_id!r}")
    if payload.get("schema_version") != SCHEMA_VERSION:
        raise PayloadError(f"schema_version {payload.get('schema_version')!r} is not {SCHEMA_VERSION}", signal_id)
    if payload.get("symbol") != symbol:
        raise PayloadError(f"symbol {payload.get('symbol')!r} is not this strategy's {symbol}", signal_id)
    if livestream_pair is not None:
        _livestream_fields(payload, signal_id, livestream_pair)
    metadata = payload.get("metadata")
    if not isinstance(metadata, dict):
        raise PayloadError("metadata must be an object", signal_id)
    values = {name: _number(metadata, name, signal_id) for name in FLOAT_FIELDS}
    if not values["q10"] <= values["q50"] <= values["q90"]:
        quantiles = ", ".join(f"{name} {values[name]}" for name in ("q10", "q50", "q90"))
        raise PayloadError(f"quantiles out of order: {quantiles}", signal_id)
    regime = metadata.get("regime")
    if not isinstance(regime, str):
        raise PayloadError(f"metadata.regime must be a string, found {regime!r}", signal_id)
    return Signal(
        signal_id=signal_id,
        ts_ns=_signal_time(payload, signal_id),
        side=SignalSide(_integer(metadata, "side", VALID_SIDES, signal_id)),
        regime_volatility=regime,
        vol_decile=_integer(metadata, "vol_decile", VOL_DECILES, signal_id),
        **values,
    )
