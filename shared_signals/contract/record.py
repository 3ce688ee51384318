"""The typed files a comparison leaves in its run folder beside the journals: ``inputs.json`` (what was
run: the columns, the files, the versions, the machine, what the harness measured), with the fault
records inside it. Each is a frozen msgspec struct with a schema version, written and read back typed:
the analysis and the report never walk a plain dict.

``poc-eval report RUN_DIR`` rebuilds a report from these files alone, so what the report needs of a
platform (its label and colour, its clock, its complexity figures) is recorded here when the run is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import msgspec

from shared_signals.contract.layout import INPUTS_JSON
from shared_signals.contract.platforms import ActsOn
from shared_signals.contract.spec import RunSpec, SettingSource
from shared_signals.errors import InputError

RUN_RECORD_VERSION = 3
"""Raised whenever a field changes meaning: a report refuses a run folder written under another.
3: the spec records the quote-age limit's source (``max_quote_age_from``), and ``reference/touch.parquet``
holds the quotes in force at the signals' times and those after the fills."""


class Setting(msgspec.Struct, frozen=True):
    """A setting of one column the user chose, as given, and where: the report says which."""

    key: str
    value: str
    source: SettingSource


class ColumnRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One column of the comparison: a platform, or a named variant of one."""

    name: str
    platform: str
    label: str
    """The platform's name in prose (the registry's label)."""
    colour: str
    acts_on: ActsOn
    """The platform acts on quote arrivals or on its clock's ticks."""
    tick_s: float | None = None
    """Its clock tick, for a platform that acts on ticks."""
    provider_fed: bool = False
    """Its signals come from a provider process (its journal holds ``signal_published``)."""
    changed: tuple[Setting, ...] = ()
    """Its settings that differ from the platform's defaults, as the user gave them."""
    closes_by: str = ""
    """How its positions close by the exits' barriers (the registry's words)."""
    resting_exits: tuple[str, ...] = ()
    """The barriers it closes by orders resting at its venue (the registry's)."""


class Complexity(msgspec.Struct, frozen=True, kw_only=True):
    """Integration complexity of one platform's POC package, measured when the run was made."""

    package: str
    files: int
    sloc: int
    cc_mean: float
    cc_max: int
    blocks: int
    platform_names: int
    """Distinct names imported from the platform."""
    platform_calls: int
    """Call sites into the platform: imported names, and inherited platform methods on ``self``."""
    config_knobs: int
    setup_steps: tuple[str, ...]
    install_s: float | None
    """The platform's install time as the bootstrap measured it (None: not measured on this machine)."""


class FileFacts(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    bytes: int
    sha256: str
    rows: int


class QuoteFacts(FileFacts, frozen=True, kw_only=True):
    spacing_ns: int
    first: str
    last: str


class OverlapFacts(msgspec.Struct, frozen=True):
    signals: int
    in_quote_span: int

    @property
    def partial(self) -> bool:
        return self.in_quote_span < self.signals


class MachineFacts(msgspec.Struct, frozen=True):
    cpus: int | None
    platform: str
    processor: str


class HarnessFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What supervising the run cost the harness itself."""

    wall_s: float
    supervisor_cpu_pct: float
    sampling_cpu_pct: float
    supervisor_rss_start_mb: float
    supervisor_rss_end_mb: float
    broker_cpu_pct: float | None = None
    """The MQTT broker's mean CPU over the run (outside every platform's process tree), when one ran."""


BrokerKind = Literal["embedded", "project", "given"]
"""``embedded``: a Mosquitto started for the run and stopped after it; ``project``: the long-lived one
of ``scripts/mqtt/broker.sh``; ``given``: the one ``--broker`` named."""


class BrokerFacts(msgspec.Struct, frozen=True, kw_only=True):
    """The MQTT broker a run's columns used; never its credentials."""

    kind: BrokerKind
    endpoint: str
    folder: str
    """The folder of the ``client.json`` every MQTT column read; the run's own (``embedded``, ``given``)
    is removed when the run ends."""


class SoakFacts(msgspec.Struct, frozen=True):
    wall_target_s: float
    market_s: float
    copies: int
    """How many times the inputs were looped, with continuing timestamps."""


class InjectedFault(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    target: str
    """The column it struck, or ``every column`` for an input fault."""
    at_s: float
    """Wall seconds after the platforms started (runtime), or market seconds after the first quote (input)."""
    at_wall_ns: int | None
    action: str
    """What was done, as it happened (the harness' own words of its action)."""


EVERY_COLUMN = "every column"


class Alternative(msgspec.Struct, frozen=True):
    """One harness setting of ``run-both --sensitivity`` at another value a user could reasonably choose,
    and the columns run with it beside the user's own."""

    key: str
    """The setting, by its variant key (``fill_delay``, ``tick``, …)."""
    value: str
    columns: tuple[tuple[str, str], ...]
    """(a column of the comparison, the column run with this value in its place); a column the setting
    cannot change is not rerun and keeps its place."""
    unchanged: tuple[str, ...] = ()
    """Columns the setting cannot change in this run (e.g. a quote-age limit for a platform that decides
    on quote arrivals in a replay, where every quote it decides on is new)."""


class RunRecord(msgspec.Struct, frozen=True, kw_only=True):
    """``inputs.json``."""

    schema_version: int = RUN_RECORD_VERSION
    run_id: str
    spec: dict[str, Any]
    """The baseline column's run spec: what every column shares (mode, files, core, venue, balances)."""
    columns: tuple[ColumnRecord, ...]
    baseline: str
    """The column every pairwise figure is measured against."""
    quotes: QuoteFacts
    signals: FileFacts
    overlap: OverlapFacts
    versions: dict[str, str]
    machine: MachineFacts
    complexity: dict[str, Complexity] = {}
    """Per platform, measured when the run was made."""
    harness: HarnessFacts | None = None
    soak: SoakFacts | None = None
    faults: tuple[InjectedFault, ...] = ()
    interrupted: bool = False
    """The user pressed Ctrl-C: the platforms were stopped gracefully."""
    sensitivity: tuple[Alternative, ...] = ()
    """``--sensitivity``: the settings rerun beside the comparison (their columns are not the comparison's)."""
    broker: BrokerFacts | None = None
    """The MQTT broker, when a column's signals went through one."""

    @property
    def compared(self) -> tuple[str, ...]:
        """The comparison's own columns: all but those of the sensitivity's alternatives."""
        rerun = {alt for a in self.sensitivity for _, alt in a.columns}
        return tuple(c.name for c in self.columns if c.name not in rerun)

    @property
    def run_spec(self) -> RunSpec:
        return RunSpec.from_dict(self.spec)

    def column(self, name: str) -> ColumnRecord:
        return next(c for c in self.columns if c.name == name)


def write_record(run_dir: Path, record: RunRecord) -> Path:
    target = Path(run_dir) / INPUTS_JSON
    target.write_bytes(msgspec.json.format(msgspec.json.encode(record), indent=2) + b"\n")
    return target


def read_record(run_dir: Path) -> RunRecord:
    """``inputs.json`` of ``run_dir``, typed; one line when it is missing, torn or of another version."""
    path = Path(run_dir) / INPUTS_JSON
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"not a run folder: no {INPUTS_JSON}", run_dir) from None
    except OSError as exc:
        raise InputError(f"not a run folder: {INPUTS_JSON} unreadable ({exc.strerror})", run_dir) from None
    try:
        version = msgspec.json.decode(raw, type=_Versioned).schema_version
    except msgspec.DecodeError:
        raise InputError(f"not a run folder: {INPUTS_JSON} is not a run record", run_dir) from None
    if version != RUN_RECORD_VERSION:
        raise InputError(f"a run folder of another version ({INPUTS_JSON} schema {version}, this release reads "
                         f"{RUN_RECORD_VERSION}): rerun it with this release", run_dir)
    try:
        return msgspec.json.decode(raw, type=RunRecord)
    except msgspec.ValidationError as exc:
        raise InputError(f"not a run folder: {INPUTS_JSON} {exc}", run_dir) from None


class _Versioned(msgspec.Struct):
    schema_version: int = 0
