"""Named fault scenarios for soak runs, and their outcomes read back from the journals.

Two kinds: *runtime* faults strike a running column at a wall time (kill -9 its platform, kill its
signal provider, corrupt the signal file its provider and strategy share, restart the MQTT broker
between them); *input* faults reshape the inputs before the run (a burst of signals far faster than
the tick, a gap in the market data). A runtime fault strikes a place a column's registry entry
offers (its fault points); each outcome is what the journals show after the fault, so the report
states what happened, not what should have.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil

from evaluator.harness.broker_use import broker_folder, uses_broker
from evaluator.harness.comparison import Columns
from evaluator.harness.supervisor import Supervisor
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind, SkipKind
from shared_signals.contract.layout import EVENTS_JSONL
from shared_signals.contract.platforms import REGISTRY, FaultPoint
from shared_signals.contract.record import EVERY_COLUMN, InjectedFault
from shared_signals.contract.spec import RunSpec
from shared_signals.errors import InputError
from shared_signals.quotes import ROW_GROUP_ROWS, load_quotes
from shared_signals.transport.broker import MosquittoBroker
from shared_signals.transport.mqtt.connection import read_address

log = logging.getLogger(__name__)

CORRUPT_FILE_ATTEMPTS = 5
CORRUPT_FILE_WAIT_S = 2.5
"""How long after a corrupt write the strategy has to read it (its tick is 1 s by default)."""
CORRUPT_FILE_POLL_S = 0.05
JOURNAL_TAIL_LINES = 200
BURST_INTERVAL = pd.Timedelta("100ms")
BURST_LENGTH = pd.Timedelta("60s")
GAP_LENGTH = pd.Timedelta("10min")
BROKER_DOWN_S = 5.0
"""How long ``broker-restart`` keeps the broker away: several signals are published meanwhile at soak speeds."""
FAULT_INPUTS = "fault_inputs"
DERIVED_COLUMNS = ["prob_up", "side", "tier_confidence", "vol_scaled", "signal_rel", "regime_volatility", "vol_risk"]
"""Dropped from burst files so the loader derives them again from the flipped quantiles."""


@dataclass(frozen=True)
class Fault:
    name: str
    target: str
    """The column it strikes (empty until resolved against the run's columns; input faults: every column)."""
    at_fraction: float
    """When, as a fraction of the run's wall duration (runtime faults) or of the market span (input faults)."""


def _kill_platform(supervisor: Supervisor, spec: RunSpec) -> str:
    pid = supervisor.children_pids()[spec.column]
    os.kill(pid, signal.SIGKILL)
    return f"SIGKILL to {spec.column} (pid {pid})"


def _provider(supervisor: Supervisor, spec: RunSpec) -> psutil.Process | None:
    module = REGISTRY[spec.platform].provider.module
    root = psutil.Process(supervisor.children_pids()[spec.column])
    for child in root.children(recursive=True):
        if module in child.cmdline():
            return child
    return None


def _on_provider(supervisor: Supervisor, spec: RunSpec, act: Callable[[psutil.Process], None], what: str) -> str:
    provider = _provider(supervisor, spec)
    if provider is None:
        return "no provider process found"
    act(provider)
    return f"{what} the signal provider (pid {provider.pid})"


def _kill_provider(supervisor: Supervisor, spec: RunSpec) -> str:
    return _on_provider(supervisor, spec, psutil.Process.kill, "SIGKILL to")


def _hang_provider(supervisor: Supervisor, spec: RunSpec) -> str:
    return _on_provider(supervisor, spec, psutil.Process.suspend, "SIGSTOP to") + ": alive but silent"


def _signal_file(spec: RunSpec) -> Path:
    return spec.platform_dir / REGISTRY[spec.platform].provider.signal_file


def _write_signal_file(spec: RunSpec, data: bytes) -> str:
    """Writes in place, not atomically: this is the faulty writer the strategy must survive. The
    provider may replace the file before a strategy tick reads it, so the fault is written again
    until the strategy journals an invalid signal read after it (a fault that was never read proves
    nothing); returns how it went, for the report."""
    path = _signal_file(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    journal = spec.platform_dir / EVENTS_JSONL
    for attempt in range(1, CORRUPT_FILE_ATTEMPTS + 1):
        written_ns = time.time_ns()
        with path.open("wb") as handle:
            handle.write(data)
        deadline = time.monotonic() + CORRUPT_FILE_WAIT_S
        while time.monotonic() < deadline:
            if _invalid_read_since(journal, written_ns):
                return f"read by the strategy (write {attempt})"
            time.sleep(CORRUPT_FILE_POLL_S)
    return f"not read by the strategy in {CORRUPT_FILE_ATTEMPTS} writes"


def _invalid_read_since(journal: Path, since_ns: int) -> bool:
    """Whether the strategy journaled an invalid signal (a skip with that code) at or after ``since_ns``."""
    if not journal.exists():
        return False
    for line in journal.read_bytes().splitlines()[-JOURNAL_TAIL_LINES:]:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("kind") == EventKind.SIGNAL_SKIPPED and event.get("code") == SkipKind.INVALID and event.get("wall_ns", 0) >= since_ns:
            return True
    return False


def _current_payload(spec: RunSpec) -> dict:
    try:
        payload = json.loads(_signal_file(spec).read_bytes())
    except (OSError, ValueError):
        payload = None
    return payload if isinstance(payload, dict) else {"schema_version": 1, "signal_id": "fault", "metadata": {}}


def _garbage(supervisor: Supervisor, spec: RunSpec) -> str:
    return f"256 random bytes written over the signal file, {_write_signal_file(spec, os.urandom(256))}"


def _half_written(supervisor: Supervisor, spec: RunSpec) -> str:
    payload = json.dumps(_current_payload(spec) | {"signal_id": "fault-half-written"}).encode()
    how = _write_signal_file(spec, payload[: len(payload) // 2])
    return f"first {len(payload) // 2} of {len(payload)} bytes of a payload written, {how}"


def _invalid(supervisor: Supervisor, spec: RunSpec) -> str:
    payload = _current_payload(spec)
    metadata = dict(payload.get("metadata", {}), q10=0.05, q50=float("nan"), q90=0.01)
    how = _write_signal_file(spec, json.dumps(payload | {"signal_id": "fault-invalid", "metadata": metadata}).encode())
    return f"payload with q50 = NaN and q10 > q90 written, {how}"


def _restart_broker(supervisor: Supervisor, spec: RunSpec) -> str:
    """SIGTERM to the run's broker (it saves its sessions), then the same broker again: what a
    production broker restart looks like to the provider and the strategy."""
    served = next(r for r in supervisor.runs if r.column == spec.column)  # the spec naming the run's broker
    folder = broker_folder(served)
    broker = MosquittoBroker(folder, read_address(folder).port)
    if broker.running_pid() is None:
        return f"no broker running in {folder}"
    broker.restart(down_s=BROKER_DOWN_S)
    return f"broker stopped (SIGTERM, sessions saved) for {BROKER_DOWN_S:g} s, then started again"


RUNTIME_FAULTS: dict[str, Callable[[Supervisor, RunSpec], str]] = {
    "kill": _kill_platform,
    "provider-stop": _kill_provider,
    "provider-hang": _hang_provider,
    "garbage-signal": _garbage,
    "half-written-signal": _half_written,
    "invalid-signal": _invalid,
    "broker-restart": _restart_broker,
}
INPUT_FAULTS = ("signal-burst", "data-gap")
ALL_FAULTS = (*RUNTIME_FAULTS, *INPUT_FAULTS)
FAULT_POINTS: dict[str, FaultPoint] = {
    "provider-stop": "provider", "provider-hang": "provider",
    "garbage-signal": "signal_file", "half-written-signal": "signal_file", "invalid-signal": "signal_file",
    "broker-restart": "broker",
}
"""Where each runtime fault but ``kill`` strikes: a place a column's registry entry must offer."""


def parse_fault(text: str) -> Fault:
    """``NAME[:COLUMN][@FRACTION]``, e.g. ``kill:nautilus@0.5``, ``garbage-signal@0.3``, ``data-gap``."""
    body, _, at = text.partition("@")
    name, _, target = body.partition(":")
    if name not in ALL_FAULTS:
        raise InputError(f"unknown fault '{name}': choose from {', '.join(ALL_FAULTS)}")
    try:
        fraction = float(at) if at else 0.5
    except ValueError:
        fraction = -1.0
    if not 0.0 < fraction < 1.0:
        raise InputError(f"fault '{text}': the time after @ is a fraction of the run between 0 and 1, e.g. @0.5")
    return Fault(name, EVERY_COLUMN if name in INPUT_FAULTS else target, fraction)


def _offering(columns: Columns, point: FaultPoint) -> list[str]:
    """The columns offering ``point``; the broker only to columns whose signals go through it."""
    offering = [s.column for s in columns.specs if point in REGISTRY[s.platform].fault_points]
    return [c for c in offering if c in uses_broker(columns)] if point == "broker" else offering


def resolve_faults(faults: list[Fault], columns: Columns) -> list[Fault]:
    """Each runtime fault with the column it strikes; one that cannot strike this run is one clear line
    before it starts, not a silent no-op."""
    resolved = []
    for fault in faults:
        if fault.name in INPUT_FAULTS:
            resolved.append(fault)
            continue
        point = FAULT_POINTS.get(fault.name)
        candidates = list(columns.names) if point is None else _offering(columns, point)
        if not candidates:
            needs = "the MQTT transport on a provider-fed column (e.g. --transport mqtt)" if point == "broker" else \
                f"a column whose platform offers a {point.replace('_', ' ')}"
            raise InputError(f"fault '{fault.name}' needs {needs}: none of {', '.join(columns.names)} does")
        target = fault.target
        if not target and len(candidates) == 1 and point is not None:
            target = candidates[0]
        if target not in candidates:
            choices = " or ".join(f"{fault.name}:{c}" for c in candidates)
            raise InputError(f"fault '{fault.name}' needs a column to strike: {choices}")
        resolved.append(Fault(fault.name, target, fault.at_fraction))
    return resolved


class RuntimeFaults:
    """The runtime faults of a run: one timer each, started with the platforms (:meth:`start` is
    ``run_both``'s ``on_started`` hook), each recording what it did. :meth:`settle` ends them with the
    run, so none outlives it: a broker restart caught by the end of the run still starts the broker again."""

    def __init__(self, faults: list[Fault], columns: Columns, wall_duration_s: float, record: Callable[[InjectedFault], None]) -> None:
        self.faults = [f for f in faults if f.name in RUNTIME_FAULTS]
        self.specs = {s.column: s for s in columns.specs}
        self.wall_duration_s = wall_duration_s
        self.record = record
        self._timers: list[threading.Timer] = []

    def start(self, supervisor: Supervisor) -> None:
        started = time.time_ns()
        for fault in self.faults:
            delay = fault.at_fraction * self.wall_duration_s

            def fire(fault=fault, delay=delay) -> None:
                fired_ns = time.time_ns()
                try:
                    action = RUNTIME_FAULTS[fault.name](supervisor, self.specs[fault.target])
                except Exception as exc:  # noqa: BLE001 - a fault that fails to fire is recorded, never lost
                    action = f"could not inject: {type(exc).__name__}: {exc}"
                self.record(InjectedFault(name=fault.name, target=fault.target, at_s=delay, at_wall_ns=fired_ns, action=action))
                log.warning("fault %s on %s after %.1f s: %s", fault.name, fault.target, (fired_ns - started) / NANOS_PER_SECOND, action)

            timer = threading.Timer(delay, fire)
            timer.daemon = True
            timer.start()
            self._timers.append(timer)

    def settle(self) -> None:
        """Cancels the faults not yet due and waits for any still acting."""
        for timer in self._timers:
            timer.cancel()
            timer.join()


def apply_input_faults(faults: list[Fault], quotes: Path, signals: Path, out_dir: Path) -> tuple[Path, Path, list[InjectedFault]]:
    """Rewrites the inputs for ``signal-burst`` and ``data-gap`` faults; returns the files to run on."""
    wanted = [f for f in faults if f.name in INPUT_FAULTS]
    if not wanted:
        return quotes, signals, []
    folder = out_dir / FAULT_INPUTS
    folder.mkdir(parents=True, exist_ok=True)
    quote_frame = load_quotes(quotes)
    signal_frame = pd.read_parquet(signals) if signals.suffix == ".parquet" else None
    if signal_frame is None:
        raise InputError("input faults need a parquet signal file", signals)
    first, last = quote_frame.index[0], quote_frame.index[-1]
    injected = []
    for fault in wanted:
        at = first + (last - first) * fault.at_fraction
        if fault.name == "data-gap":
            quote_frame = quote_frame[(quote_frame.index < at) | (quote_frame.index >= at + GAP_LENGTH)]
            action = f"quotes removed for {GAP_LENGTH.total_seconds():.0f} s from {at}"
        else:
            signal_frame = _add_burst(signal_frame, at)
            action = f"{int(BURST_LENGTH / BURST_INTERVAL)} signals every {BURST_INTERVAL.total_seconds() * 1000:.0f} ms from {at}"
        injected.append(InjectedFault(name=fault.name, target=EVERY_COLUMN, at_s=(at - first).total_seconds(),
                                      at_wall_ns=None, action=action))
    quote_path, signal_path = folder / "quotes.parquet", folder / "signals.parquet"
    quote_frame.rename_axis("timestamp").reset_index().to_parquet(quote_path, index=False, row_group_size=ROW_GROUP_ROWS)
    signal_frame.to_parquet(signal_path, index=False)
    return quote_path, signal_path, injected


def _add_burst(signals: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    """Copies of the signal in force at ``at``, alternating its direction, every 100 ms for a minute."""
    times = pd.to_datetime(signals["datetime"], utc=True)
    base = signals[times <= at].iloc[-1] if (times <= at).any() else signals.iloc[0]
    rows = []
    for k in range(int(BURST_LENGTH / BURST_INTERVAL)):
        row = base.copy()
        row["datetime"] = at + k * BURST_INTERVAL
        flip = -1.0 if k % 2 else 1.0
        row["q10"], row["q50"], row["q90"] = sorted((flip * abs(base["q10"]), flip * abs(base["q50"]) + 0.002 * flip, flip * abs(base["q90"])))
        rows.append(row.drop(DERIVED_COLUMNS, errors="ignore"))
    burst = pd.DataFrame(rows)
    kept = signals[(times < at) | (times >= at + BURST_LENGTH)]
    merged = pd.concat([kept, burst], ignore_index=True)
    merged["datetime"] = pd.to_datetime(merged["datetime"], utc=True)
    merged = merged.sort_values("datetime").reset_index(drop=True)
    return merged.drop(columns=[c for c in DERIVED_COLUMNS if c in merged.columns])
