"""The skip rules every platform that takes deliveries applies, by hand: each kind, in its order, once
per signal and kind; a delivery with no readable signal_id every time."""

from __future__ import annotations

from shared_signals.contract.codes import SkipKind
from shared_signals.skip_rules import Skip, SkipRules
from tests.conftest import make_signal

S = 1_000_000_000
TOLERANCE = 60 * S


def test_each_rule_in_its_order_and_once_per_signal_and_kind():
    rules = SkipRules(TOLERANCE)
    first, older = make_signal(signal_id="a", ts_ns=100 * S), make_signal(signal_id="b", ts_ns=90 * S)
    assert rules.offer(101 * S, first) is None and rules.signal is first
    assert rules.offer(102 * S, first) == Skip("a", SkipKind.DUPLICATE, "duplicate: signal_id already received")
    assert rules.offer(103 * S, first) is None  # reported once
    assert rules.offer(104 * S, older) == Skip("b", SkipKind.OUT_OF_ORDER, "out of order: not newer than a")
    late = make_signal(signal_id="c", ts_ns=110 * S)
    assert rules.offer(180 * S, late) == Skip("c", SkipKind.STALE, "stale: 70.0 s old, tolerance 60 s")
    assert rules.signal is first and not rules.is_expired(160 * S) and rules.is_expired(161 * S)
    expired = rules.expired(161 * S)
    assert expired.code is SkipKind.EXPIRED and expired.signal_id == "a" and rules.expired(162 * S) is None
    assert rules.invalid("x", "bad numbers") == Skip("x", SkipKind.INVALID, "invalid: bad numbers")
    assert rules.invalid("x", "bad numbers") is None
    assert rules.invalid(None, "unreadable") == rules.invalid(None, "unreadable") == Skip(None, SkipKind.INVALID, "invalid: unreadable")
