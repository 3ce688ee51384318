"""What one comparison runs: its columns (a run spec and a record each) and the baseline every pairwise
figure is measured against."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from evaluator.harness.platform_code import settings_type
from shared_signals.config import build_dataclass, plain_settings
from shared_signals.contract.platforms import REGISTRY, PlatformEntry
from shared_signals.contract.record import Alternative, ColumnRecord, Setting
from shared_signals.contract.spec import RunSpec
from shared_signals.transport.mqtt.connection import BrokerAddress


def _lookup(tree: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def column_record(spec: RunSpec, entry: PlatformEntry, changed: tuple[Setting, ...] = ()) -> ColumnRecord:
    """What the report must know of a column, recorded with the run (the report reads no registry)."""
    tick = _lookup(spec.settings, entry.clock.tick_field) if entry.clock.tick_field else None
    return ColumnRecord(
        name=spec.column, platform=entry.name, label=entry.label, colour=entry.colour, acts_on=entry.clock.acts_on,
        tick_s=None if tick is None else float(tick), provider_fed=entry.provider is not None, changed=changed,
        closes_by=entry.closes_by, resting_exits=entry.resting_exits,
    )


@dataclass(frozen=True)
class Columns:
    specs: tuple[RunSpec, ...]
    """One run spec per column, in the order of ``--platforms``."""
    records: tuple[ColumnRecord, ...]
    baseline: str
    alternatives: tuple[Alternative, ...] = ()
    """``--sensitivity``: the settings whose columns run beside the comparison's own."""
    broker: BrokerAddress | None = None
    """``--broker``: the running broker the MQTT columns use; None: the project's when it runs, else one
    started for the run (``evaluator.harness.run_broker``)."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.column for s in self.specs)

    @property
    def compared_specs(self) -> tuple[RunSpec, ...]:
        """The comparison's own columns: all but those of ``--sensitivity``'s alternatives."""
        rerun = {alt for a in self.alternatives for _, alt in a.columns}
        return tuple(s for s in self.specs if s.column not in rerun)

    @property
    def alternative_specs(self) -> tuple[RunSpec, ...]:
        rerun = {alt for a in self.alternatives for _, alt in a.columns}
        return tuple(s for s in self.specs if s.column in rerun)

    @property
    def baseline_spec(self) -> RunSpec:
        return next(s for s in self.specs if s.column == self.baseline)

    def with_shared(self, **changes: Any) -> Columns:
        """Every column with the same shared settings changed (the run folder, the files, a delay)."""
        return replace(self, specs=tuple(replace(s, **changes) for s in self.specs))

    @classmethod
    def of(cls, specs: list[RunSpec], baseline: str | None = None) -> Columns:
        """Columns of specs as a program builds them without the command line (each names its platform,
        column and the settings it changes): each column's settings completed with its platform's
        defaults and checked; the baseline is the first unless named."""
        full = tuple(replace(s, settings=complete_settings(REGISTRY[s.platform], s.settings)) for s in specs)
        return cls(full, tuple(column_record(s, REGISTRY[s.platform]) for s in full), baseline or full[0].column)


def complete_settings(entry: PlatformEntry, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` over the platform's defaults, checked by its settings type, as plain values."""
    cls = settings_type(entry)
    return {} if cls is None else plain_settings(build_dataclass(cls, values))
