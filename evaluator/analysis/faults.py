"""What the journals show after each injected fault: the fault section of a soak report."""

from __future__ import annotations

from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.metrics.stability import platform_errors, skipped_by_kind
from shared_signals.contract.codes import EventKind


def fault_outcome(evaluation: Evaluation, fault: dict) -> str:
    """What the journals show after the fault: after its wall time for a runtime fault, over the
    whole run for an input fault (its time is market time, in the reshaped inputs)."""
    at = fault.get("at_wall_ns")
    scope = "after the fault" if at else "over the run"
    parts = []
    for name, record in evaluation.run.platforms.items():
        if fault["target"] not in ("both", name) and fault["name"] != "kill":
            continue
        events = record.events
        code = record.exit.get("returncode") if record.exit else None
        if fault["name"] == "kill" and name == fault["target"]:
            parts.append(f"{name} exited {code}; {len(events)} journal events readable")
            continue
        after = events[events["wall_ns"] >= at] if at else events
        skipped = skipped_by_kind(after)
        orders = int((after["kind"] == EventKind.ORDER_SUBMITTED).sum())
        errors = int(platform_errors(after).sum())
        state = "ran on" if code == 0 else f"exit {code if code is not None else 'unknown'}"
        skips = ", ".join(f"{k} {v}" for k, v in skipped.items()) or "none"
        line = f"{name} {state}: {scope} {orders} orders, {errors} errors, skipped signals: {skips}"
        transport = evaluation.platforms[name].transport if name in evaluation.platforms else None
        if fault["name"] == "broker-restart" and transport is not None:
            line += f"; {transport.held} signals published while the broker was away, {transport.held_received} of them delivered"
        parts.append(line)
    return "; ".join(parts)
