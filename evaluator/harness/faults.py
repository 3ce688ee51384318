"""Named fault scenarios for soak runs, and their outcomes read back from the journals.

Two kinds: *runtime* faults strike a running platform at a wall time (kill -9 a platform, kill the
Hummingbot signal provider, corrupt the signal file the provider and strategy share, restart the MQTT
broker between them); *input* faults
reshape the inputs before the run (a burst of signals far faster than the tick, a gap in the market
data). Each outcome is what the journals show after the fault, so the report states what happened,
not what should have.
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

from evaluator.harness.broker import MosquittoBroker
from shared_signals.contract.spec import MQTT
from evaluator.harness.supervisor import Supervisor
from poc_hummingbot.config import PROVIDER_MODULE
from poc_hummingbot.mqtt.connection import default_broker_dir, read_address
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind, SkipKind
from shared_signals.contract.layout import EVENTS_JSONL
from shared_signals.errors import InputError
from shared_signals.quotes import ROW_GROUP_ROWS, load_quotes
from shared_signals.contract.platforms import HUMMINGBOT, PLATFORM_NAMES

log = logging.getLogger(__name__)

SIGNAL_FILE = Path("signals") / "latest_signal.json"
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
    at_fraction: float
    """When, as a fraction of the run's wall duration (runtime faults) or of the market span (input faults)."""


@dataclass(frozen=True)
class InjectedFault:
    name: str
    target: str
    at_s: float
    """Wall seconds after the platforms started (runtime), or market seconds after the first quote (input)."""
    at_wall_ns: int | None
    action: str


def _kill_platform(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    pid = supervisor.children_pids()[target]
    os.kill(pid, signal.SIGKILL)
    return f"SIGKILL to {target} (pid {pid})"


def _provider(supervisor: Supervisor, target: str) -> psutil.Process | None:
    root = psutil.Process(supervisor.children_pids()[target])
    for child in root.children(recursive=True):
        if PROVIDER_MODULE in child.cmdline():
            return child
    return None


def _on_provider(supervisor: Supervisor, target: str, act: Callable[[psutil.Process], None], what: str) -> str:
    provider = _provider(supervisor, target)
    if provider is None:
        return "no provider process found"
    act(provider)
    return f"{what} the signal provider (pid {provider.pid})"


def _kill_provider(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    return _on_provider(supervisor, target, psutil.Process.kill, "SIGKILL to")


def _hang_provider(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    return _on_provider(supervisor, target, psutil.Process.suspend, "SIGSTOP to") + ": alive but silent"


def _write_signal_file(run_dir: Path, target: str, data: bytes) -> str:
    """Writes in place, not atomically: this is the faulty writer the strategy must survive. The
    provider may replace the file before a strategy tick reads it, so the fault is written again
    until the strategy journals an invalid signal read after it (a fault that was never read proves
    nothing); returns how it went, for the report."""
    path = run_dir / target / SIGNAL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    journal = run_dir / target / EVENTS_JSONL
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


def _current_payload(run_dir: Path, target: str) -> dict:
    try:
        payload = json.loads((run_dir / target / SIGNAL_FILE).read_bytes())
    except (OSError, ValueError):
        payload = None
    return payload if isinstance(payload, dict) else {"schema_version": 1, "signal_id": "fault", "metadata": {}}


def _garbage(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    return f"256 random bytes written over the signal file, {_write_signal_file(run_dir, target, os.urandom(256))}"


def _half_written(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    payload = json.dumps(_current_payload(run_dir, target) | {"signal_id": "fault-half-written"}).encode()
    how = _write_signal_file(run_dir, target, payload[: len(payload) // 2])
    return f"first {len(payload) // 2} of {len(payload)} bytes of a payload written, {how}"


def _invalid(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    payload = _current_payload(run_dir, target)
    metadata = dict(payload.get("metadata", {}), q10=0.05, q50=float("nan"), q90=0.01)
    how = _write_signal_file(run_dir, target, json.dumps(payload | {"signal_id": "fault-invalid", "metadata": metadata}).encode())
    return f"payload with q50 = NaN and q10 > q90 written, {how}"


def _restart_broker(supervisor: Supervisor, run_dir: Path, target: str) -> str:
    """SIGTERM to the project's broker (it saves its sessions), then the same broker again: what a
    production broker restart looks like to the provider and the strategy."""
    folder = default_broker_dir()
    broker = MosquittoBroker(folder, read_address(folder).port)
    if broker.running_pid() is None:
        return f"no broker running in {folder}"
    broker.restart(down_s=BROKER_DOWN_S)
    return f"broker stopped (SIGTERM, sessions saved) for {BROKER_DOWN_S:g} s, then started again"


RUNTIME_FAULTS: dict[str, Callable[[Supervisor, Path, str], str]] = {
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
HUMMINGBOT_ONLY = ("provider-stop", "provider-hang", "garbage-signal", "half-written-signal", "invalid-signal", "broker-restart")
MQTT_ONLY = ("broker-restart",)


def parse_fault(text: str) -> Fault:
    """``NAME[:TARGET][@FRACTION]``, e.g. ``kill:nautilus@0.5``, ``garbage-signal@0.3``, ``data-gap``."""
    body, _, at = text.partition("@")
    name, _, target = body.partition(":")
    if name not in ALL_FAULTS:
        raise InputError(f"unknown fault '{name}': choose from {', '.join(ALL_FAULTS)}")
    if name in HUMMINGBOT_ONLY:
        target = target or HUMMINGBOT.name
        if target != HUMMINGBOT.name:
            raise InputError(f"fault '{name}' acts on Hummingbot's signal path: use {name}:hummingbot")
    elif name == "kill" and target not in PLATFORM_NAMES:
        raise InputError(f"fault 'kill' needs a target: {' or '.join(f'kill:{p}' for p in PLATFORM_NAMES)}")
    try:
        fraction = float(at) if at else 0.5
    except ValueError:
        fraction = -1.0
    if not 0.0 < fraction < 1.0:
        raise InputError(f"fault '{text}': the time after @ is a fraction of the run between 0 and 1, e.g. @0.5")
    return Fault(name, target or "both", fraction)


def check_faults(faults: list[Fault], transport: str, platforms: list[str]) -> None:
    """Faults that cannot strike this run are one clear line before it starts, not a silent no-op."""
    for fault in faults:
        if fault.name in MQTT_ONLY and transport != MQTT:
            raise InputError(f"fault '{fault.name}' needs the MQTT transport: add --transport mqtt")
        if fault.name in HUMMINGBOT_ONLY and HUMMINGBOT.name not in platforms:
            raise InputError(f"fault '{fault.name}' acts on Hummingbot: include it in --platforms")


class RuntimeFaults:
    """The runtime faults of a run: one timer each, started with the platforms (:meth:`start` is
    ``run_both``'s ``on_started`` hook), each recording what it did. :meth:`settle` ends them with the
    run, so none outlives it: a broker restart caught by the end of the run still starts the broker again."""

    def __init__(self, faults: list[Fault], run_dir: Path, wall_duration_s: float, record: Callable[[InjectedFault], None]) -> None:
        self.faults = [f for f in faults if f.name in RUNTIME_FAULTS]
        self.run_dir = run_dir
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
                    action = RUNTIME_FAULTS[fault.name](supervisor, self.run_dir, fault.target)
                except Exception as exc:  # noqa: BLE001 - a fault that fails to fire is recorded, never lost
                    action = f"could not inject: {type(exc).__name__}: {exc}"
                self.record(InjectedFault(fault.name, fault.target, delay, fired_ns, action))
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
        injected.append(InjectedFault(fault.name, "both", (at - first).total_seconds(), None, action))
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
